// Opens the region's PostgreSQL register: Kysely's PostgresDialect over a pg Pool, the same history check and numbered migrations as SQLite.
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { withoutPassword } from './location';
import { applyMigrations, checkMigrationHistory, MIGRATION_TABLE } from './migrate';
import { migrations as knownMigrations, type StationMigration } from './migrations';
import type { Database } from './schema';

export interface OpenPostgresDatabase {
  engine: 'postgres';
  db: Kysely<Database>;
  appliedMigrations: number;
  close(): Promise<void>;
}

const INT8 = 20;

/** bigint comes back as a number, as SQLite's INTEGER does; one beyond 2^53 would silently lose digits, so it is refused. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`${text} is beyond the whole numbers JavaScript holds exactly`);
  return value;
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format))) as pg.CustomTypesConfig['getTypeParser'],
};

async function appliedMigrationNames(db: Kysely<Database>): Promise<string[]> {
  const table = await sql`SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ${MIGRATION_TABLE}`.execute(db);
  if (table.rows.length === 0) return [];
  const { rows } = await sql<{ name: string }>`SELECT name FROM ${sql.table(MIGRATION_TABLE)}`.execute(db);
  // sorted here, not by the server's collation, so the order is the one the known names are sorted in
  return rows.map((row) => row.name).sort();
}

export async function openPostgresDatabase(url: string, options: { migrations?: Record<string, StationMigration> } = {}): Promise<OpenPostgresDatabase> {
  const migrations = options.migrations ?? knownMigrations;
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, types }) }) });
  try {
    checkMigrationHistory(await appliedMigrationNames(db), Object.keys(migrations).sort(), withoutPassword(url));
    await applyMigrations(db, migrations, { engine: 'postgres' });
    return { engine: 'postgres', db, appliedMigrations: (await appliedMigrationNames(db)).length, close: () => db.destroy() };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
