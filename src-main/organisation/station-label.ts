// The name the audit trail records for this kiosk: the configured station name (set at first run), or the machine's name until then.
import { hostname } from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';

export const STATION_NAME_SETTING = 'station.name';

/** Read at every use, synchronously, so entries written inside a transaction carry the name as it is now. */
export function stationNameReader(sqlite: BetterSqlite3.Database): () => string {
  const read = sqlite.prepare<[string], string>('SELECT value FROM setting WHERE key = ?').pluck();
  return () => read.get(STATION_NAME_SETTING) ?? hostname();
}
