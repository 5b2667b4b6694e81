// Staff accounts of the kiosk: role, argon2id password hash, sealed OTP seed, lockout; their last passwords and unit grants.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './engine';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  const { integer, bytes, id } = columnTypes(engine);
  await db.schema
    .createTable('staff_account')
    .addColumn('id', integer, id)
    // stored lower-case by the service, so "Anna" and "anna" are one account
    .addColumn('username', 'text', (column) => column.notNull().unique())
    .addColumn('display_name', 'text', (column) => column.notNull())
    .addColumn('hsa_id', 'text', (column) => column.unique())
    .addColumn('role', 'text', (column) => column.notNull().check(sql`role IN ('operator', 'station-admin', 'org-admin', 'unit-admin')`))
    .addColumn('password_hash', 'text')
    // AES-256-GCM blob from seed-crypto, bound to the account id
    .addColumn('otp_seed', bytes)
    .addColumn('otp_last_step', integer)
    .addColumn('failed_logins', integer, (column) => column.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('disabled', integer, (column) => column.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('staff_password_history')
    .addColumn('id', integer, id)
    .addColumn('staff_id', integer, (column) => column.notNull().references('staff_account.id').onDelete('cascade'))
    .addColumn('password_hash', 'text', (column) => column.notNull())
    .addColumn('set_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('staff_password_history_staff').on('staff_password_history').column('staff_id').execute();

  await db.schema
    .createTable('staff_unit')
    .addColumn('staff_id', integer, (column) => column.notNull().references('staff_account.id').onDelete('cascade'))
    .addColumn('unit_id', integer, (column) => column.notNull().references('unit.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('staff_unit_pk', ['staff_id', 'unit_id'])
    .execute();
  await db.schema.createIndex('staff_unit_unit').on('staff_unit').column('unit_id').execute();
}
