// People search on PostgreSQL compares by code point (COLLATE "C", see people.ts); an index only serves a comparison in its own collation, so the search columns' indexes are rebuilt in "C" there.
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index';

const SEARCH_INDEXES = [
  { name: 'person_search_name', column: 'search_name', unique: false },
  { name: 'person_search_name_reversed', column: 'search_name_reversed', unique: false },
  { name: 'person_search_personnummer10', column: 'search_personnummer10', unique: false },
  { name: 'person_search_hsa_id', column: 'search_hsa_id', unique: true },
  { name: 'person_search_username', column: 'search_username', unique: true },
] as const;

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  // SQLite compares text by its bytes already, so its indexes of 004-people serve the prefix ranges as they are
  if (engine === 'postgres') {
    for (const { name, column, unique } of SEARCH_INDEXES) {
      await sql`DROP INDEX ${sql.id(name)}`.execute(db);
      // the same name and uniqueness: equal texts are byte-equal in both collations
      await sql`CREATE ${sql.raw(unique ? 'UNIQUE INDEX' : 'INDEX')} ${sql.id(name)} ON person (${sql.id(column)} COLLATE "C")`.execute(db);
    }
  }
  // the personnummer's own unique index is in the default collation on PostgreSQL; SQLite gets the twin so both registers keep one schema
  await sql`CREATE INDEX person_personnummer_code_point ON person (personnummer ${sql.raw(engine === 'postgres' ? 'COLLATE "C"' : '')})`.execute(db);
}
