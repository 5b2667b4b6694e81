// Who the CLI is in the audit trail: it runs as no staff account, so "cli:" and the operating-system user who ran it.
import { userInfo } from 'node:os';
import type { Db } from '../db/data-layer';
import { stationNameReader } from '../organisation/station-label';

export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    // a uid with no passwd entry (some containers) still runs the CLI
    return `cli:uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

/** Actor, station and time as the kiosk's services take them, for one CLI run. */
export async function cliCaller(db: Db): Promise<{ actor: string; station: string; now: Date }> {
  return { actor: cliActor(), station: await stationNameReader(db)(), now: new Date() };
}
