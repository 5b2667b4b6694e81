// Opens the station's SQLite file: pragmas, a migration check that refuses foreign histories, then migrate.
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { migrations as knownMigrations } from './migrations';
import type { Database } from './schema';

export interface OpenDatabase {
  sqlite: BetterSqlite3.Database;
  db: Kysely<Database>;
  appliedMigrations: number;
  close(): Promise<void>;
}

export class DatabaseVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseVersionError';
  }
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
    throw new DatabaseVersionError(`The database ${path} was written by a newer Kortstation (${applied.length} migrations applied, this version knows ${known.length}). Use a newer Kortstation or another --data folder.`);
  }
  const mismatch = applied.findIndex((name, index) => name !== known[index]);
  if (mismatch >= 0) {
    throw new DatabaseVersionError(`The database ${path} has migration "${applied[mismatch]}" where this version expects "${known[mismatch]}"; it belongs to another Kortstation version. Nothing was changed.`);
  }
}

export interface OpenOptions {
  migrations?: Record<string, Migration>;
  /** better-sqlite3's native addon for this runtime (Electron and Node need different builds). */
  nativeBinding?: string;
}

const OWNER_ONLY_FOLDER = 0o700;
const OWNER_ONLY_FILE = 0o600;

const STICKY = 0o1000;

/** Tightens what an older version created open to everyone; leaves alone what is not there, not ours, or a shared folder like /tmp. */
function restrictExisting(path: string, mode: number): void {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats || (stats.mode & STICKY) !== 0 || (process.getuid && stats.uid !== process.getuid())) return;
  if ((stats.mode & 0o777 & ~mode) !== 0) chmodSync(path, mode);
}

/**
 * The data folder 0700 and the database 0600 from their first byte: the empty file is created with its mode before
 * SQLite opens it, and SQLite gives its -wal and -shm files the mode of the database.
 */
function createPrivately(path: string): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true, mode: OWNER_ONLY_FOLDER });
  restrictExisting(folder, OWNER_ONLY_FOLDER);
  try {
    closeSync(openSync(path, 'wx', OWNER_ONLY_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`]) restrictExisting(file, OWNER_ONLY_FILE);
}

export async function openDatabase(path: string, options: OpenOptions = {}): Promise<OpenDatabase> {
  const migrations = options.migrations ?? knownMigrations;
  if (path !== ':memory:') createPrivately(path);
  const sqlite = new BetterSqlite3(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    checkMigrationHistory(appliedMigrationNames(sqlite), Object.keys(migrations).sort(), path);
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
