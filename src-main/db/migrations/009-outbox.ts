// The e-mail outbox (written in the transaction of the event that causes a message), administrators' edits of its templates, and reminders sent.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './engine';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  const { integer, id } = columnTypes(engine);
  await db.schema
    .createTable('outbox')
    .addColumn('id', integer, id)
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('to_address', 'text', (column) => column.notNull())
    .addColumn('subject', 'text', (column) => column.notNull())
    .addColumn('body', 'text', (column) => column.notNull())
    .addColumn('template', 'text', (column) => column.notNull())
    .addColumn('state', 'text', (column) => column.notNull().check(sql`state IN ('queued', 'sent', 'failed')`))
    .addColumn('attempts', integer, (column) => column.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    // the relay's complaint, never a credential
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['state', 'next_attempt_at']).execute();

  await db.schema
    .createTable('mail_template')
    .addColumn('name', 'text', (column) => column.primaryKey())
    .addColumn('subject', 'text', (column) => column.notNull())
    .addColumn('body', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .addColumn('updated_by', 'text', (column) => column.notNull())
    .execute();

  // one reminder per occasion: the same card's expiry or the same employment end is never reminded twice
  await db.schema
    .createTable('mail_reminder')
    .addColumn('template', 'text', (column) => column.notNull())
    .addColumn('occasion', 'text', (column) => column.notNull())
    .addColumn('outbox_id', integer, (column) => column.notNull().references('outbox.id'))
    .addPrimaryKeyConstraint('mail_reminder_pk', ['template', 'occasion'])
    .execute();
}
