// What both engines share when they open: the history check that refuses newer or foreign databases, then one transaction per migration.
import { Migrator, type Kysely } from 'kysely';
import type { AuditKeySource } from '../audit/key';
import { createDataLayer, type Engine } from './data-layer';
import type { StationMigration } from './migrations';
import type { Database } from './schema';
import { DatabaseVersionError } from './version-error';

export const MIGRATION_TABLE = 'kysely_migration';

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

/**
 * Applies the missing migrations, one per call to migrateUp, so a crash mid-upgrade keeps every migration before the
 * one that failed; Kysely's migrator wraps each in a transaction with its bookkeeping row on engines with transactional DDL.
 */
export async function applyMigrations(db: Kysely<Database>, migrations: Record<string, StationMigration>, engine: Engine, auditKey: AuditKeySource): Promise<void> {
  // a migration that writes through the services' data layer does so inside its own transaction
  const up = (migration: StationMigration) => (trx: Kysely<unknown>) => migration.up(trx, { engine, data: createDataLayer({ engine, kysely: trx as Kysely<Database>, auditKey }) });
  const bound = Object.fromEntries(Object.entries(migrations).map(([name, migration]) => [name, { up: up(migration) }]));
  const migrator = new Migrator({ db, provider: { getMigrations: async () => bound }, migrationTableName: MIGRATION_TABLE });
  for (;;) {
    const { error, results } = await migrator.migrateUp();
    if (error) throw error;
    if (!results || results.length === 0) return;
  }
}
