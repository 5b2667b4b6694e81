// Opens the kiosk's station, or decides what Electron shows and that it quits when the database belongs to another version; no electron import, so it is tested on real files.
import { sv } from '@shared/i18n/startup';
import { DatabaseVersionError } from './db/version-error';
import { StationNotJoinedError } from './organisation/station-identity';
import { openStation, type Station, type StationOptions } from './station';

/** What the counter is told before the kiosk quits; the database file was not touched. */
export interface StartRefusal {
  title: string;
  message: string;
  /** The path and the migrations, for the Servicedesk; also written to standard error. */
  detail: string;
  exitCode: number;
}

export type KioskStart = { kind: 'opened'; station: Station } | { kind: 'refused'; refusal: StartRefusal };

export async function openKioskStation(options: StationOptions): Promise<KioskStart> {
  try {
    return { kind: 'opened', station: await openStation(options) };
  } catch (error) {
    if (error instanceof StationNotJoinedError) return { kind: 'refused', refusal: { title: sv.title, message: sv.stationNotJoined, detail: `${sv.technicalDetail}: ${error.message}`, exitCode: 1 } };
    if (!(error instanceof DatabaseVersionError)) throw error;
    const message = { newer: sv.databaseNewer, foreign: sv.databaseForeign, unreachable: sv.databaseUnreachable }[error.reason];
    return { kind: 'refused', refusal: { title: sv.title, message, detail: `${sv.technicalDetail}: ${error.message}`, exitCode: 1 } };
  }
}
