// The name the audit trail records for this kiosk: the configured station name, or the machine's name until one is set.
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export const STATION_NAME_SETTING = 'station.name';

export async function stationLabel(db: Kysely<Database>): Promise<string> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', STATION_NAME_SETTING).executeTakeFirst();
  return row?.value ?? hostname();
}
