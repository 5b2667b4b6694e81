// People search on PostgreSQL compares by code point (COLLATE "C", see people.ts); an index only serves a comparison in its own collation, so each search column gets one in "C".
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index';

const SEARCH_COLUMNS = ['search_name', 'search_name_reversed', 'personnummer', 'search_personnummer10', 'search_hsa_id', 'search_username'] as const;

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  // SQLite compares text by its bytes already: the indexes of 004-people serve its prefix ranges
  if (engine !== 'postgres') return;
  for (const column of SEARCH_COLUMNS) await sql`CREATE INDEX ${sql.id(`person_${column}_code_point`)} ON person (${sql.id(column)} COLLATE "C")`.execute(db);
}
