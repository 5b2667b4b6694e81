// OTP tokens (dosor): stock and issued tokens with sealed seeds, their history, the charges they cause and units' orders.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './engine';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  const { integer, bytes, id } = columnTypes(engine);
  await db.schema
    .createTable('token')
    .addColumn('id', integer, id)
    .addColumn('serial', 'text', (column) => column.notNull().unique())
    .addColumn('kind', 'text', (column) => column.notNull().check(sql`kind IN ('hotp', 'totp')`))
    .addColumn('algorithm', 'text', (column) => column.notNull().check(sql`algorithm IN ('SHA1', 'SHA256', 'SHA512')`))
    .addColumn('digits', integer, (column) => column.notNull())
    .addColumn('period', integer)
    .addColumn('t0', integer)
    .addColumn('drift', integer, (column) => column.notNull().defaultTo(0))
    // TEXT: an HOTP counter is 64 bits, beyond SQLite's safe integer round trip through JavaScript
    .addColumn('counter', 'text')
    // the TOTP step last accepted, so a code seen once is never accepted again
    .addColumn('last_step', integer)
    // AES-256-GCM blob from seed-crypto, bound to the serial; the key never lives in this file
    .addColumn('sealed_seed', bytes, (column) => column.notNull())
    .addColumn('manufacturer', 'text')
    .addColumn('category', 'text', (column) => column.check(sql`category IN ('kommunal', 'lov')`))
    .addColumn('state', 'text', (column) =>
      column.notNull().check(sql`state IN ('in-stock', 'issued', 'lost', 'defective', 'sent-to-support', 'retired')`),
    )
    // the unit that paid for the token and gets it back; null while it is the station's own stock
    .addColumn('unit_id', integer, (column) => column.references('unit.id'))
    .addColumn('station_id', integer, (column) => column.references('station.id'))
    .addColumn('person_id', integer, (column) => column.references('person.id'))
    .addColumn('issued_at', 'text')
    .addColumn('imported_at', 'text', (column) => column.notNull())
    .addColumn('state_changed_at', 'text', (column) => column.notNull())
    .addCheckConstraint('token_issued_has_person', sql`(state = 'issued') = (person_id IS NOT NULL AND category IS NOT NULL)`)
    .execute();
  // the rule "one token of each kind per person" held by the database too, not only by the service
  await db.schema
    .createIndex('token_one_per_category')
    .on('token')
    .columns(['person_id', 'category'])
    .unique()
    .where(sql.ref('state'), '=', 'issued')
    .execute();
  await db.schema.createIndex('token_state_unit').on('token').columns(['state', 'unit_id']).execute();

  await db.schema
    .createTable('token_event')
    .addColumn('id', integer, id)
    .addColumn('token_id', integer, (column) => column.notNull().references('token.id'))
    .addColumn('at', 'text', (column) => column.notNull())
    .addColumn('action', 'text', (column) => column.notNull())
    .addColumn('person_id', integer, (column) => column.references('person.id'))
    .addColumn('actor', 'text')
    .addColumn('details', 'text')
    .execute();
  await db.schema.createIndex('token_event_token').on('token_event').columns(['token_id', 'id']).execute();

  await db.schema
    .createTable('charge')
    .addColumn('id', integer, id)
    .addColumn('at', 'text', (column) => column.notNull())
    // the invoicing month, 'YYYY-MM' in Swedish time: one invoice per reference and month
    .addColumn('month', 'text', (column) => column.notNull())
    .addColumn('kind', 'text', (column) => column.notNull().check(sql`kind IN ('lost-token', 'token-purchase')`))
    .addColumn('amount_ore', integer, (column) => column.notNull())
    .addColumn('person_id', integer, (column) => column.references('person.id'))
    .addColumn('unit_id', integer, (column) => column.references('unit.id'))
    // copied, not joined: an invoice must show the reference that held when the charge was made
    .addColumn('reference', 'text')
    .addColumn('token_id', integer, (column) => column.references('token.id'))
    .addColumn('correction_of', integer, (column) => column.references('charge.id'))
    .execute();
  await db.schema.createIndex('charge_month_reference').on('charge').columns(['month', 'reference']).execute();

  await db.schema
    .createTable('unit_token_order')
    .addColumn('id', integer, id)
    .addColumn('unit_id', integer, (column) => column.notNull().references('unit.id'))
    .addColumn('quantity', integer, (column) => column.notNull().check(sql`quantity > 0`))
    .addColumn('price_ore', integer, (column) => column.notNull())
    .addColumn('ordered_by', 'text', (column) => column.notNull())
    .addColumn('ordered_at', 'text', (column) => column.notNull())
    .addColumn('delivered_at', 'text')
    .execute();

}
