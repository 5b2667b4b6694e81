// The organisation (organisations → nested units, stations) and the people the station serves, with their units.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './engine';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  const { integer, id } = columnTypes(engine);
  await db.schema
    .createTable('organisation')
    .addColumn('id', integer, id)
    .addColumn('name', 'text', (column) => column.notNull().unique())
    .addColumn('kind', 'text', (column) => column.notNull().check(sql`kind IN ('region', 'kommun', 'privat')`))
    .execute();

  await db.schema
    .createTable('unit')
    .addColumn('id', integer, id)
    .addColumn('organisation_id', integer, (column) => column.notNull().references('organisation.id'))
    .addColumn('parent_id', integer, (column) => column.references('unit.id'))
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('reference', 'text', (column) => column.notNull())
    // one invoice per reference: it must name one unit within its organisation
    .addUniqueConstraint('unit_reference_per_organisation', ['organisation_id', 'reference'])
    .execute();
  await db.schema.createIndex('unit_parent').on('unit').column('parent_id').execute();
  await db.schema.createIndex('unit_reference').on('unit').column('reference').execute();

  await db.schema
    .createTable('station')
    .addColumn('id', integer, id)
    .addColumn('name', 'text', (column) => column.notNull().unique())
    .addColumn('site', 'text', (column) => column.notNull())
    .addColumn('address', 'text', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('person')
    .addColumn('id', integer, id)
    .addColumn('first_name', 'text', (column) => column.notNull())
    .addColumn('surname', 'text', (column) => column.notNull())
    .addColumn('personnummer', 'text', (column) => column.notNull().unique())
    .addColumn('hsa_id', 'text')
    .addColumn('username', 'text')
    .addColumn('email', 'text')
    .addColumn('mobile', 'text')
    .addColumn('employment_type', 'text', (column) => column.check(sql`employment_type IN ('region', 'kommunal', 'lov', 'privat')`))
    .addColumn('employment_end', 'text')
    // search columns, written by the service: lower-cased so a prefix is an index range scan
    .addColumn('search_name', 'text', (column) => column.notNull())
    .addColumn('search_name_reversed', 'text', (column) => column.notNull())
    .addColumn('search_personnummer10', 'text', (column) => column.notNull())
    .addColumn('search_hsa_id', 'text')
    .addColumn('search_username', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('person_search_name').on('person').column('search_name').execute();
  await db.schema.createIndex('person_search_name_reversed').on('person').column('search_name_reversed').execute();
  await db.schema.createIndex('person_search_personnummer10').on('person').column('search_personnummer10').execute();
  // case-insensitively unique, and the index the prefix search runs on
  await db.schema.createIndex('person_search_hsa_id').on('person').column('search_hsa_id').unique().execute();
  await db.schema.createIndex('person_search_username').on('person').column('search_username').unique().execute();

  await db.schema
    .createTable('person_unit')
    .addColumn('person_id', integer, (column) => column.notNull().references('person.id').onDelete('cascade'))
    .addColumn('unit_id', integer, (column) => column.notNull().references('unit.id'))
    .addPrimaryKeyConstraint('person_unit_pk', ['person_id', 'unit_id'])
    .execute();
  await db.schema.createIndex('person_unit_unit').on('person_unit').columns(['unit_id', 'person_id']).execute();
}
