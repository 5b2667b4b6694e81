// Staff accounts the owner keeps: e-mail and mobile, invitations by link and SMS reset codes (digests only), the previous login, a forced password change, and SMS in the outbox.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './engine';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  const { integer, bytes, id } = columnTypes(engine);
  const addToStaff = [
    db.schema.alterTable('staff_account').addColumn('email', 'text'),
    // E.164 from normalizeSwedishMobile: the number SMS reset codes go to
    db.schema.alterTable('staff_account').addColumn('mobile', 'text'),
    // 1 when someone other than the owner chose the password (the first run at the kiosk)
    db.schema.alterTable('staff_account').addColumn('password_change_required', integer, (column) => column.notNull().defaultTo(0)),
    db.schema.alterTable('staff_account').addColumn('last_login_at', 'text'),
    db.schema.alterTable('staff_account').addColumn('last_login_method', 'text'),
    // what the person is shown after logging in: the login before this one
    db.schema.alterTable('staff_account').addColumn('previous_login_at', 'text'),
    db.schema.alterTable('staff_account').addColumn('previous_login_method', 'text'),
  ];
  for (const step of addToStaff) await step.execute();
  // until now an administrator typed every password but the first run's own (the first account there ever was): their owners choose their own at the next login
  await sql`UPDATE staff_account SET password_change_required = 1 WHERE password_hash IS NOT NULL AND id <> (SELECT min(id) FROM staff_account)`.execute(db);

  await db.schema
    .createTable('staff_invitation')
    .addColumn('id', integer, id)
    .addColumn('staff_id', integer, (column) => column.notNull().references('staff_account.id').onDelete('cascade'))
    // HMAC of the link's token under the data key: the link itself is never stored
    .addColumn('token_digest', 'text', (column) => column.notNull().unique())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'text', (column) => column.notNull())
    .addColumn('used_at', 'text')
    // the one-time-code seed shown on the invitation page, sealed, until the person confirms it with a code
    .addColumn('pending_seed', bytes)
    .execute();
  await db.schema.createIndex('staff_invitation_staff').on('staff_invitation').column('staff_id').execute();

  await db.schema
    .createTable('staff_reset_code')
    .addColumn('id', integer, id)
    .addColumn('staff_id', integer, (column) => column.notNull().references('staff_account.id').onDelete('cascade'))
    // HMAC under the data key: six digits are too few for a plain hash
    .addColumn('code_digest', 'text', (column) => column.notNull())
    .addColumn('requested_at', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'text', (column) => column.notNull())
    .addColumn('failed_tries', integer, (column) => column.notNull().defaultTo(0))
    // set when the code was used, replaced by a newer one or ran out of tries
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema.createIndex('staff_reset_code_staff').on('staff_reset_code').columns(['staff_id', 'requested_at']).execute();

  await db.schema
    .alterTable('outbox')
    .addColumn('channel', 'text', (column) => column.notNull().defaultTo('email').check(sql`channel IN ('email', 'sms')`))
    .execute();
  // a message carrying a link token or a code: sealed under the data key until sent, then dropped
  await db.schema.alterTable('outbox').addColumn('sealed_body', bytes).execute();
}
