// The name the audit trail records for this kiosk: its own name in the region, else the configured station name (set at first run), or the machine's name until then.
import { hostname } from 'node:os';
import type { Db } from '../db/data-layer';
import { readSetting } from '../db/settings';

export const STATION_NAME_SETTING = 'station.name';

/** How services learn the kiosk's name: asked at every use, so an entry written inside a transaction carries the name as it is now. */
export type StationName = () => Promise<string>;

export function stationNameReader(db: Db): StationName {
  // on a region database the setting is every station's, so the kiosk's own name (from its data folder) comes first
  return async () => db.station ?? (await readSetting(db, STATION_NAME_SETTING)) ?? hostname();
}
