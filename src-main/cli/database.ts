// Opens the station database of --data for one CLI command and closes it after.
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase } from '../db/open';
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
