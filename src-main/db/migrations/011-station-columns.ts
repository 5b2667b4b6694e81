// Stations in the region: a station belongs to an organisation, and every token event and charge names the station that made it.
import { sql, type Kysely } from 'kysely';
import { readSetting } from '../settings';
import { columnTypes } from './engine';
import type { MigrationContext } from './index';

/** The setting that named the one station of a SQLite file before stations could share a register. */
const ONE_STATION_NAME_SETTING = 'station.name';

export async function up(db: Kysely<unknown>, { engine, data }: MigrationContext): Promise<void> {
  const { integer } = columnTypes(engine);
  await db.schema.alterTable('station').addColumn('organisation_id', integer, (column) => column.references('organisation.id')).execute();
  // null only on rows written before this migration where no station name was known
  await db.schema.alterTable('token_event').addColumn('station', 'text').execute();
  await db.schema.alterTable('charge').addColumn('station', 'text').execute();
  await db.schema.createIndex('charge_station').on('charge').columns(['station', 'month']).execute();
  await db.schema.createIndex('token_event_station').on('token_event').columns(['station', 'at']).execute();
  // a SQLite file was one station: what it wrote before happened there (PostgreSQL only ever held rows stamped below or copied in)
  const name = engine === 'sqlite' ? await readSetting(data, ONE_STATION_NAME_SETTING) : undefined;
  if (name === undefined) return;
  await sql`UPDATE token_event SET station = ${name} WHERE station IS NULL`.execute(db);
  // the closed-month triggers refuse every update of an invoiced charge; stamping a station changes no amount, so they step aside for it
  await sql`DROP TRIGGER charge_update_in_closed_month`.execute(db);
  await sql`UPDATE charge SET station = ${name} WHERE station IS NULL`.execute(db);
  await sql`CREATE TRIGGER charge_update_in_closed_month BEFORE UPDATE ON charge
    WHEN EXISTS (SELECT 1 FROM invoice_month WHERE month IN (OLD.month, NEW.month))
    BEGIN SELECT RAISE(ABORT, 'invoice month closed'); END`.execute(db);
}
