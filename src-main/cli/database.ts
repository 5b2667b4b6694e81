// Opens the station database of --data for one CLI command and closes it after.
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase, type OpenDatabase } from '../db/open';
import type { Database } from '../db/schema';
import { DATABASE_FILE } from '../station';

export async function withStationDatabase<T>(dataDir: string, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const database = await openDatabase(join(dataDir, DATABASE_FILE));
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/** Both handles, for commands that call the audited services (they append to the trail synchronously). */
export async function withOpenDatabase<T>(dataDir: string, work: (database: OpenDatabase) => Promise<T> | T): Promise<T> {
  const database = await openDatabase(join(dataDir, DATABASE_FILE));
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
