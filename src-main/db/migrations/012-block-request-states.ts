// Block requests say what they are: requested here, blocked in SITHS eID-portalen (confirmed by staff), closed; and any card or HSA-ID may be reported.
import { sql, type Kysely } from 'kysely';
import { columnTypes, type Engine } from './engine';
import type { MigrationContext } from './index';

const STATE_CHECK = sql`state IN ('requested', 'blocked', 'closed')`;

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  if (engine === 'postgres') return alterInPlace(db);
  return rebuildOnSqlite(db, engine);
}

/** PostgreSQL drops NOT NULL in place: a request for a card not registered here has no order and maybe no card number. */
async function alterInPlace(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE block_request ALTER COLUMN order_id DROP NOT NULL`.execute(db);
  await sql`ALTER TABLE block_request ALTER COLUMN card_number DROP NOT NULL`.execute(db);
  await db.schema
    .alterTable('block_request')
    .addColumn('hsa_id', 'text')
    .addColumn('state', 'text', (column) => column.notNull().defaultTo('requested').check(STATE_CHECK))
    .addColumn('confirmed_by', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('portal_reference', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'text')
    .execute();
  // the default only fills the rows kept so far: every new request names its state, as on SQLite
  await sql`ALTER TABLE block_request ALTER COLUMN state DROP DEFAULT`.execute(db);
  await sql`ALTER TABLE block_request ADD CONSTRAINT block_request_names_a_card CHECK (card_number IS NOT NULL OR hsa_id IS NOT NULL)`.execute(db);
  await db.schema.createIndex('block_request_hsa_id').on('block_request').column('hsa_id').execute();
  await db.schema.createIndex('block_request_state').on('block_request').column('state').execute();
}

/** SQLite cannot drop NOT NULL: the table is built anew and the kept requests copied over (ids kept). */
async function rebuildOnSqlite(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const { integer, id } = columnTypes(engine);
  await db.schema
    .createTable('block_request_new')
    .addColumn('id', integer, id)
    .addColumn('order_id', integer, (column) => column.references('card_order.id'))
    .addColumn('card_number', 'text')
    .addColumn('hsa_id', 'text')
    .addColumn('reason', 'text', (column) => column.notNull().check(sql`reason IN ('lost', 'stolen', 'uncollected', 'other')`))
    .addColumn('reported_by', 'text', (column) => column.notNull())
    .addColumn('note', 'text')
    .addColumn('at', 'text', (column) => column.notNull())
    .addColumn('station', 'text', (column) => column.notNull())
    .addColumn('staff', 'text', (column) => column.notNull())
    .addColumn('keep_until', 'text', (column) => column.notNull())
    .addColumn('state', 'text', (column) => column.notNull().check(STATE_CHECK))
    .addColumn('confirmed_by', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('portal_reference', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'text')
    .addCheckConstraint('block_request_names_a_card', sql`card_number IS NOT NULL OR hsa_id IS NOT NULL`)
    .execute();
  // requests kept so far were recorded here only: none was confirmed
  await sql`INSERT INTO block_request_new (id, order_id, card_number, reason, reported_by, note, at, station, staff, keep_until, state)
    SELECT id, order_id, card_number, reason, reported_by, note, at, station, staff, keep_until, 'requested' FROM block_request`.execute(db);
  await db.schema.dropTable('block_request').execute();
  await db.schema.alterTable('block_request_new').renameTo('block_request').execute();
  await db.schema.createIndex('block_request_card').on('block_request').column('card_number').execute();
  await db.schema.createIndex('block_request_at').on('block_request').column('at').execute();
  await db.schema.createIndex('block_request_hsa_id').on('block_request').column('hsa_id').execute();
  await db.schema.createIndex('block_request_state').on('block_request').column('state').execute();
}
