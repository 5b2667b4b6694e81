// Opens the station's SQLite file: pragmas, a migration check that refuses foreign histories, then migrate one transaction per migration.
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver, type SqliteDialectConfig } from 'kysely';
import { auditKeyFromDataKey, bindAuditKey, ephemeralAuditKey, type AuditKeySource } from '../services/audit-key';
import { keyFileDataKeySource } from '../tokens/seed-crypto';
import { migrations as knownMigrations, type StationMigration } from './migrations';
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
  migrations?: Record<string, StationMigration>;
  /** better-sqlite3's native addon for this runtime (Electron and Node need different builds). */
  nativeBinding?: string;
  /** The key the audit trail is chained under; defaults to one derived from the data key file beside the database. */
  auditKey?: AuditKeySource;
}

/** SQLite does roll DDL back; saying so makes Kysely's migrator wrap each migration in a transaction with its bookkeeping row. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** BEGIN IMMEDIATE takes the write lock first: two processes upgrading (or importing) at once wait for each other instead of failing mid-way. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class StationSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** One migration per call to migrateUp, so a crash mid-upgrade keeps every migration before the one that failed. */
async function migrateOneByOne(migrator: Migrator): Promise<void> {
  for (;;) {
    const { error, results } = await migrator.migrateUp();
    if (error) throw error;
    if (!results || results.length === 0) return;
  }
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
  const inMemory = path === ':memory:';
  if (!inMemory) createPrivately(path);
  const sqlite = new BetterSqlite3(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  // the same default as the station's seed key: the key file of the database's folder
  bindAuditKey(sqlite, options.auditKey ?? (inMemory ? ephemeralAuditKey() : auditKeyFromDataKey(keyFileDataKeySource(dirname(path)))));
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
  const db = new Kysely<Database>({ dialect: new StationSqliteDialect({ database: sqlite }) });
  const context = { sqlite };
  const bound = Object.fromEntries(Object.entries(migrations).map(([name, migration]) => [name, { up: (trx: Kysely<unknown>) => migration.up(trx, context) }]));
  const migrator = new Migrator({ db, provider: { getMigrations: async () => bound }, migrationTableName: MIGRATION_TABLE });
  try {
    await migrateOneByOne(migrator);
  } catch (error) {
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
