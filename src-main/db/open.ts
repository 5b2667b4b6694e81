// Opens the station's SQLite file: pragmas, a migration check that refuses foreign histories, then migrate.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { migrations as knownMigrations } from './migrations';
import type { Database } from './schema';
import { DatabaseVersionError } from './version-error';

export interface OpenDatabase {
  sqlite: BetterSqlite3.Database;
  db: Kysely<Database>;
  appliedMigrations: number;
  close(): Promise<void>;
}


const MIGRATION_TABLE = 'kysely_migration';

function appliedMigrationNames(sqlite: BetterSqlite3.Database): string[] {
  const table = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATION_TABLE);
  if (!table) return [];
  return sqlite.prepare(`SELECT name FROM ${MIGRATION_TABLE} ORDER BY name`).pluck().all() as string[];
}

/** Throws unless the applied migrations are the first N of the known ones. */
export function checkMigrationHistory(applied: readonly string[], known: readonly string[], path: string): void {
  if (applied.length > known.length) {
    throw new DatabaseVersionError('newer', `The database ${path} was written by a newer Kortstation (${applied.length} migrations applied, this version knows ${known.length}). Use a newer Kortstation or another --data folder.`);
  }
  const mismatch = applied.findIndex((name, index) => name !== known[index]);
  if (mismatch >= 0) {
    throw new DatabaseVersionError('foreign', `The database ${path} has migration "${applied[mismatch]}" where this version expects "${known[mismatch]}"; it belongs to another Kortstation version. Nothing was changed.`);
  }
}

export interface OpenOptions {
  migrations?: Record<string, Migration>;
  /** better-sqlite3's native addon for this runtime (Electron and Node need different builds). */
  nativeBinding?: string;
}

export async function openDatabase(path: string, options: OpenOptions = {}): Promise<OpenDatabase> {
  const migrations = options.migrations ?? knownMigrations;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    sqlite.pragma('busy_timeout = 5000');
    // checked before any pragma that writes (WAL mode changes the file header): a refused file stays as it was
    checkMigrationHistory(appliedMigrationNames(sqlite), Object.keys(migrations).sort(), path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableName: MIGRATION_TABLE });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw error;
  }
  sqlite.pragma('optimize');
  return {
    sqlite,
    db,
    appliedMigrations: appliedMigrationNames(sqlite).length,
    close: () => db.destroy(),
  };
}
