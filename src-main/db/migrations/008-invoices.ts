// Closed invoice months: once invoiced, a month's charges are frozen, by the service and by triggers as the last line of defence.
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('invoice_month')
    .addColumn('month', 'text', (column) => column.primaryKey())
    .addColumn('closed_at', 'text', (column) => column.notNull())
    .addColumn('closed_by', 'text', (column) => column.notNull())
    .execute();
  if (engine === 'sqlite') await sqliteTriggers(db);
  else await postgresTriggers(db);
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
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

/** The same five triggers and the same message; PostgreSQL's trigger conditions cannot hold a subquery, so the check is in the function. */
async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  // OLD is null on insert and NEW on delete: one function covers the three charge triggers
  await sql`CREATE FUNCTION charge_in_closed_month() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM invoice_month WHERE month IN (OLD.month, NEW.month)) THEN
        RAISE EXCEPTION 'invoice month closed';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE FUNCTION invoice_month_closed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'invoice month closed'; END $$`.execute(db);
  await sql`CREATE TRIGGER charge_insert_into_closed_month BEFORE INSERT ON charge FOR EACH ROW EXECUTE FUNCTION charge_in_closed_month()`.execute(db);
  await sql`CREATE TRIGGER charge_update_in_closed_month BEFORE UPDATE ON charge FOR EACH ROW EXECUTE FUNCTION charge_in_closed_month()`.execute(db);
  await sql`CREATE TRIGGER charge_delete_in_closed_month BEFORE DELETE ON charge FOR EACH ROW EXECUTE FUNCTION charge_in_closed_month()`.execute(db);
  await sql`CREATE TRIGGER invoice_month_stays_closed BEFORE DELETE ON invoice_month FOR EACH ROW EXECUTE FUNCTION invoice_month_closed()`.execute(db);
  await sql`CREATE TRIGGER invoice_month_unchanged BEFORE UPDATE ON invoice_month FOR EACH ROW EXECUTE FUNCTION invoice_month_closed()`.execute(db);
}
