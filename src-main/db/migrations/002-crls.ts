// Certificate revocation lists the station imports: the newest one per issuer is kept.
import type { Kysely } from 'kysely';
import { columnTypes } from './engine';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  const { bytes } = columnTypes(engine);
  await db.schema
    .createTable('crl')
    .addColumn('issuer', 'text', (column) => column.primaryKey())
    .addColumn('this_update', 'text', (column) => column.notNull())
    .addColumn('next_update', 'text')
    .addColumn('der', bytes, (column) => column.notNull())
    .addColumn('imported_at', 'text', (column) => column.notNull())
    .execute();
}
