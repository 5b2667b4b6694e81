// What a migration writes differently per engine: the column types and the id column; everything else is the same SQL.
import type { ColumnDefinitionBuilder } from 'kysely';

export type Engine = 'sqlite' | 'postgres';

export interface ColumnTypes {
  /** A 64-bit whole number: SQLite's INTEGER already is one, PostgreSQL's is 32 bits. */
  integer: 'integer' | 'bigint';
  bytes: 'blob' | 'bytea';
  /** The primary key that never hands an id out twice: AUTOINCREMENT on SQLite, an identity column on PostgreSQL. */
  id: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
}

const SQLITE: ColumnTypes = { integer: 'integer', bytes: 'blob', id: (column) => column.primaryKey().autoIncrement() };
const POSTGRES: ColumnTypes = { integer: 'bigint', bytes: 'bytea', id: (column) => column.primaryKey().generatedByDefaultAsIdentity() };

export const columnTypes = (engine: Engine): ColumnTypes => (engine === 'sqlite' ? SQLITE : POSTGRES);
