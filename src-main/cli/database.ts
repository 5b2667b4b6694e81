// Opens the register for one CLI command — the region database of --database, else the SQLite file of --data — and closes it after.
import { join } from 'node:path';
import { auditKeyFromDataKey } from '../audit/key';
import type { OpenRegister } from '../db/data-layer';
import { isPostgresUrl } from '../db/location';
import { openDatabase, type OpenOptions } from '../db/open';
import { readStationIdentity } from '../organisation/station-identity';
import { DATABASE_FILE } from '../station';
import { keyFileDataKeySource } from '../tokens/seed-crypto';
import type { CliInvocation } from './command';

/** Where the command's register is: what --database names, else the station's SQLite file in --data. */
export const registerLocation = ({ database, dataDir }: Pick<CliInvocation, 'database' | 'dataDir'>): string => database ?? join(dataDir, DATABASE_FILE);

/** On the region database the CLI acts as the station its data folder joined as (see `cli station join`). */
export function registerStation({ database, dataDir }: Pick<CliInvocation, 'database' | 'dataDir'>): Pick<OpenOptions, 'station'> {
  const name = database !== undefined && isPostgresUrl(database) ? readStationIdentity(dataDir)?.name : undefined;
  return name === undefined ? {} : { station: name };
}

export async function withRegister<T>(invocation: Pick<CliInvocation, 'database' | 'dataDir'>, work: (db: OpenRegister) => Promise<T>): Promise<T> {
  // the key file of --data chains the trail on either engine, as the station's own services do
  const db = await openDatabase(registerLocation(invocation), { auditKey: auditKeyFromDataKey(keyFileDataKeySource(invocation.dataDir)), ...registerStation(invocation) });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

