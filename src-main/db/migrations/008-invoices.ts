// Closed invoice months: once invoiced, a month's charges are frozen, by the service and by triggers as the last line of defence.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('invoice_month')
    .addColumn('month', 'text', (column) => column.primaryKey())
    .addColumn('closed_at', 'text', (column) => column.notNull())
    .addColumn('closed_by', 'text', (column) => column.notNull())
    .execute();
  // a correction is a new charge in an open month, never an edit of an invoiced one
  await sql`CREATE TRIGGER charge_insert_into_closed_month BEFORE INSERT ON charge
    WHEN EXISTS (SELECT 1 FROM invoice_month WHERE month = NEW.month)
    BEGIN SELECT RAISE(ABORT, 'invoice month closed'); END`.execute(db);
  await sql`CREATE TRIGGER charge_update_in_closed_month BEFORE UPDATE ON charge
    WHEN EXISTS (SELECT 1 FROM invoice_month WHERE month IN (OLD.month, NEW.month))
    BEGIN SELECT RAISE(ABORT, 'invoice month closed'); END`.execute(db);
  await sql`CREATE TRIGGER charge_delete_in_closed_month BEFORE DELETE ON charge
    WHEN EXISTS (SELECT 1 FROM invoice_month WHERE month = OLD.month)
    BEGIN SELECT RAISE(ABORT, 'invoice month closed'); END`.execute(db);
  // a closed month stays closed: reopening would let its invoiced charges change
  await sql`CREATE TRIGGER invoice_month_stays_closed BEFORE DELETE ON invoice_month
    BEGIN SELECT RAISE(ABORT, 'invoice month closed'); END`.execute(db);
  await sql`CREATE TRIGGER invoice_month_unchanged BEFORE UPDATE ON invoice_month
    BEGIN SELECT RAISE(ABORT, 'invoice month closed'); END`.execute(db);
}
