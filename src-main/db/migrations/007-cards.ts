// The card lifecycle: orders with their state, every step as an event, and block requests kept for ten years.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './engine';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  const { integer, id } = columnTypes(engine);
  await db.schema
    .createTable('card_order')
    .addColumn('id', integer, id)
    .addColumn('person_id', integer, (column) => column.notNull().references('person.id'))
    .addColumn('order_date', 'text', (column) => column.notNull())
    .addColumn('order_reference', 'text', (column) => column.notNull())
    .addColumn('state', 'text', (column) =>
      column.notNull().check(sql`state IN ('ordered', 'photographed', 'produced', 'ready', 'handed-over', 'returned', 'blocked', 'replaced')`),
    )
    .addColumn('card_number', 'text', (column) => column.unique())
    .addColumn('photo_station_id', integer, (column) => column.references('station.id'))
    .addColumn('photographed_by', 'text')
    .addColumn('photographed_at', 'text')
    .addColumn('ready_at', 'text')
    .addColumn('handed_over_at', 'text')
    .addColumn('certificates_not_after', 'text')
    .addColumn('replaces_order_id', integer, (column) => column.references('card_order.id'))
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('card_order_person').on('card_order').column('person_id').execute();
  await db.schema.createIndex('card_order_state').on('card_order').columns(['state', 'ready_at']).execute();

  await db.schema
    .createTable('card_event')
    .addColumn('id', integer, id)
    .addColumn('order_id', integer, (column) => column.notNull().references('card_order.id'))
    .addColumn('at', 'text', (column) => column.notNull())
    .addColumn('action', 'text', (column) => column.notNull())
    .addColumn('station', 'text', (column) => column.notNull())
    .addColumn('actor', 'text')
    .addColumn('details', 'text')
    .execute();
  await db.schema.createIndex('card_event_order').on('card_event').columns(['order_id', 'id']).execute();

  await db.schema
    .createTable('block_request')
    .addColumn('id', integer, id)
    .addColumn('order_id', integer, (column) => column.notNull().references('card_order.id'))
    .addColumn('card_number', 'text', (column) => column.notNull())
    .addColumn('reason', 'text', (column) => column.notNull().check(sql`reason IN ('lost', 'stolen', 'uncollected', 'other')`))
    .addColumn('reported_by', 'text', (column) => column.notNull())
    .addColumn('note', 'text')
    .addColumn('at', 'text', (column) => column.notNull())
    .addColumn('station', 'text', (column) => column.notNull())
    .addColumn('staff', 'text', (column) => column.notNull())
    // block requests are kept ten years (DOMAIN): the date a clean-up may remove it, never before
    .addColumn('keep_until', 'text', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('block_request_card').on('block_request').column('card_number').execute();
  await db.schema.createIndex('block_request_at').on('block_request').column('at').execute();
}
