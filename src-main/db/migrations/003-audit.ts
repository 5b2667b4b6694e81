// The hash-chained audit trail: who did what to which person, card or token, and how it ended.
import type { Kysely } from 'kysely';
import { columnTypes } from './engine';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  const { integer, id } = columnTypes(engine);
  await db.schema
    .createTable('audit_entry')
    // an id once used is never handed out again, even after the last row is deleted (see columnTypes' id)
    .addColumn('id', integer, id)
    .addColumn('at', 'text', (column) => column.notNull())
    .addColumn('station', 'text', (column) => column.notNull())
    .addColumn('actor', 'text')
    .addColumn('action', 'text', (column) => column.notNull())
    .addColumn('subject_type', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('outcome', 'text', (column) => column.notNull())
    .addColumn('details', 'text')
    .addColumn('prev_hash', 'text', (column) => column.notNull())
    .addColumn('hash', 'text', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('audit_entry_at').on('audit_entry').column('at').execute();
  await db.schema.createIndex('audit_entry_subject').on('audit_entry').columns(['subject_type', 'subject_id']).execute();
  await db.schema.createIndex('audit_entry_action').on('audit_entry').column('action').execute();
}
