// Opens the region's PostgreSQL register: Kysely's PostgresDialect over a pg Pool, the same history check and numbered migrations as SQLite.
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { ephemeralAuditKey, type AuditKeySource } from '../audit/key';
import { createDataLayer, type OpenRegister } from './data-layer';
import { isConnectionLoss } from './connection-loss';
import { withoutPassword } from './location';
import { applyMigrations, checkMigrationHistory, MIGRATION_TABLE } from './migrate';
import { migrations as knownMigrations, type StationMigration } from './migrations';
import { prepareStatements } from './prepared-statements';
import type { Database } from './schema';
import { DatabaseVersionError } from './version-error';

const CONNECT_TIMEOUT_MS = 5000;
const INT8 = 20;
const NUMERIC = 1700;

/** bigint comes back as a number, as SQLite's INTEGER does; one beyond 2^53 would silently lose digits, so it is refused. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`${text} is beyond the whole numbers JavaScript holds exactly`);
  return value;
}

/** SUM over bigint is numeric; the sums here are whole kronor and counts, so they come back as numbers too. */
function parseNumeric(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) throw new RangeError(`${text} is beyond the numbers JavaScript holds exactly`);
  return value;
}

const parsers = new Map<number, (text: string) => number>([
  [INT8, parseInt8],
  [NUMERIC, parseNumeric],
]);

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (format !== 'binary' && parsers.get(oid)) || pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

async function appliedMigrationNames(db: Kysely<Database>): Promise<string[]> {
  const table = await sql`SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ${MIGRATION_TABLE}`.execute(db);
  if (table.rows.length === 0) return [];
  const { rows } = await sql<{ name: string }>`SELECT name FROM ${sql.table(MIGRATION_TABLE)}`.execute(db);
  // sorted here, not by the server's collation, so the order is the one the known names are sorted in
  return rows.map((row) => row.name).sort();
}

export async function openPostgresDatabase(url: string, options: { migrations?: Record<string, StationMigration>; auditKey?: AuditKeySource; station?: string } = {}): Promise<OpenRegister> {
  const migrations = options.migrations ?? knownMigrations;
  // a dropped network must fail a query within seconds, not hang the counter until TCP gives up
  const pool = new pg.Pool({ connectionString: url, types, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // an idle connection the server closed (restart, network) is dropped from the pool; the next query opens a fresh one
  let migrated = false;
  prepareStatements(pool, () => migrated);
  pool.on('error', (error) => console.warn(`[register] an idle connection to the region database was lost: ${error.message}`));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    let applied: string[];
    try {
      applied = await appliedMigrationNames(db);
    } catch (error) {
      if (!isConnectionLoss(error)) throw error;
      throw new DatabaseVersionError('unreachable', `No contact with the region database ${withoutPassword(url)}: ${(error as Error).message}`);
    }
    checkMigrationHistory(applied, Object.keys(migrations).sort(), withoutPassword(url));
    const auditKey = options.auditKey ?? ephemeralAuditKey();
    await applyMigrations(db, migrations, 'postgres', auditKey);
    migrated = true;
    const appliedMigrations = (await appliedMigrationNames(db)).length;
    return Object.assign(createDataLayer({ engine: 'postgres', kysely: db, auditKey, station: options.station }), { location: withoutPassword(url), appliedMigrations, close: () => db.destroy() });
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
