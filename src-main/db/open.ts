// Opens the register: the station's SQLite file (pragmas, a migration check that refuses foreign histories, then migrate one transaction per migration) or the region's PostgreSQL.
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver, type SqliteDialectConfig } from 'kysely';
import { auditKeyFromDataKey, ephemeralAuditKey, type AuditKeySource } from '../audit/key';
import { keyFileDataKeySource } from '../tokens/seed-crypto';
import { createDataLayer, type OpenRegister } from './data-layer';
import { isPostgresUrl } from './location';
import { applyMigrations, checkMigrationHistory, MIGRATION_TABLE } from './migrate';
import { migrations as knownMigrations, type StationMigration } from './migrations';
import { openPostgresDatabase } from './open-postgres';
import type { Database } from './schema';

export type { OpenRegister };

function appliedMigrationNames(sqlite: BetterSqlite3.Database): string[] {
  const table = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATION_TABLE);
  if (!table) return [];
  return sqlite.prepare(`SELECT name FROM ${MIGRATION_TABLE} ORDER BY name`).pluck().all() as string[];
}

export interface OpenOptions {
  migrations?: Record<string, StationMigration>;
  /** better-sqlite3's native addon for this runtime (Electron and Node need different builds). */
  nativeBinding?: string;
  /** The key the audit trail is chained under; defaults to one derived from the data key file beside the database. */
  auditKey?: AuditKeySource;
  /** The kiosk's own name in the region (see organisation/station-identity.ts); only for a register stations share. */
  station?: string;
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

/** The register, migrated: a SQLite file path or a postgres:// URL. */
export async function openDatabase(location: string, options: OpenOptions = {}): Promise<OpenRegister> {
  return isPostgresUrl(location) ? openPostgresDatabase(location, options) : openSqliteDatabase(location, options);
}

async function openSqliteDatabase(path: string, options: OpenOptions): Promise<OpenRegister> {
  const migrations = options.migrations ?? knownMigrations;
  const inMemory = path === ':memory:';
  if (!inMemory) createPrivately(path);
  const sqlite = new BetterSqlite3(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  // the same default as the station's seed key: the key file of the database's folder
  const auditKey = options.auditKey ?? (inMemory ? ephemeralAuditKey() : auditKeyFromDataKey(keyFileDataKeySource(dirname(path))));
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
  try {
    await applyMigrations(db, migrations, 'sqlite', auditKey);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  sqlite.pragma('optimize');
  return Object.assign(createDataLayer({ engine: 'sqlite', kysely: db, auditKey, station: options.station }), {
    location: path,
    appliedMigrations: appliedMigrationNames(sqlite).length,
    close: () => db.destroy(),
  });
}
