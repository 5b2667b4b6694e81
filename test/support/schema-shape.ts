// One engine-neutral description of a register's schema from SQLite's and PostgreSQL's catalogues; by hand, as Kysely's introspection stops at columns (no keys, indexes, checks or triggers).
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';

export interface TableShape {
  columns: Record<string, { type: string; notNull: boolean; default: string | null; generatedId: boolean }>;
  primaryKey: string[];
  /** "column → table.column on delete ACTION" */
  foreignKeys: string[];
  /** Column lists of every unique index or constraint, "(partial)" when it holds for some rows only. */
  uniques: string[];
  /** The indexes a migration created by name: "name: columns [unique] [partial]". */
  namedIndexes: string[];
  checks: number;
}

export interface SchemaShape {
  tables: Record<string, TableShape>;
  /** "table.trigger" */
  triggers: string[];
}

// the same 64-bit whole number, text and bytes under each engine's own name
const SQLITE_TYPES: Record<string, string> = { INTEGER: 'integer64', TEXT: 'text', BLOB: 'bytes' };
const POSTGRES_TYPES: Record<string, string> = { bigint: 'integer64', text: 'text', bytea: 'bytes' };
const POSTGRES_ON_DELETE: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

const emptyTable = (): TableShape => ({ columns: {}, primaryKey: [], foreignKeys: [], uniques: [], namedIndexes: [], checks: 0 });
const unique = (columns: readonly string[], partial: boolean): string => `${columns.join(',')}${partial ? ' (partial)' : ''}`;
const indexLine = (name: string, columns: readonly string[], isUnique: boolean, partial: boolean): string =>
  `${name}: ${columns.join(',')}${isUnique ? ' unique' : ''}${partial ? ' partial' : ''}`;

function sorted(shape: SchemaShape): SchemaShape {
  for (const table of Object.values(shape.tables)) for (const list of [table.foreignKeys, table.uniques, table.namedIndexes]) list.sort();
  shape.triggers.sort();
  return shape;
}

export function sqliteSchemaShape(sqlite: BetterSqlite3.Database): SchemaShape {
  const shape: SchemaShape = { tables: {}, triggers: [] };
  const tables = sqlite.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
  for (const { name, sql: createSql } of tables) {
    const table = (shape.tables[name] = emptyTable());
    const columns = sqlite.pragma(`table_info(${name})`) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
    for (const column of columns) {
      // a primary key column is NOT NULL on PostgreSQL by definition; SQLite's rowid key cannot be null either
      table.columns[column.name] = {
        type: SQLITE_TYPES[column.type.toUpperCase()] ?? column.type,
        notNull: column.notnull === 1 || column.pk > 0,
        default: column.dflt_value,
        generatedId: column.pk === 1 && column.type.toUpperCase() === 'INTEGER' && /\bautoincrement\b/i.test(createSql),
      };
    }
    table.primaryKey = columns.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk).map((column) => column.name);
    const foreignKeys = sqlite.pragma(`foreign_key_list(${name})`) as { table: string; from: string; to: string; on_delete: string }[];
    table.foreignKeys = foreignKeys.map((key) => `${key.from} → ${key.table}.${key.to} on delete ${key.on_delete}`);
    const indexes = sqlite.pragma(`index_list(${name})`) as { name: string; unique: number; origin: string; partial: number }[];
    for (const index of indexes) {
      const indexColumns = (sqlite.pragma(`index_info(${index.name})`) as { seqno: number; name: string }[]).sort((a, b) => a.seqno - b.seqno).map((column) => column.name);
      if (index.unique === 1 && index.origin !== 'pk') table.uniques.push(unique(indexColumns, index.partial === 1));
      if (index.origin === 'c') table.namedIndexes.push(indexLine(index.name, indexColumns, index.unique === 1, index.partial === 1));
    }
    table.checks = (createSql.match(/\bcheck\s*\(/gi) ?? []).length;
  }
  shape.triggers = sqlite.prepare<[], { tbl_name: string; name: string }>("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'").all().map((trigger) => `${trigger.tbl_name}.${trigger.name}`);
  return sorted(shape);
}

export async function postgresSchemaShape(db: Kysely<unknown>): Promise<SchemaShape> {
  const shape: SchemaShape = { tables: {}, triggers: [] };
  const tables = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(db);
  for (const { name } of tables.rows) shape.tables[name] = emptyTable();
  const table = (name: string): TableShape => shape.tables[name] ?? (shape.tables[name] = emptyTable());

  const columns = await sql<{ table: string; name: string; type: string; nullable: string; default: string | null; identity: string }>`
    SELECT table_name AS table, column_name AS name, data_type AS type, is_nullable AS nullable, column_default AS default, is_identity AS identity
    FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`.execute(db);
  for (const column of columns.rows) {
    table(column.table).columns[column.name] = { type: POSTGRES_TYPES[column.type] ?? column.type, notNull: column.nullable === 'NO', // PostgreSQL spells a text default with its cast: 'email'::text is SQLite's 'email'
      default: column.default?.replace(/::text$/, '') ?? null, generatedId: column.identity === 'YES' };
  }

  const indexes = await sql<{ table: string; name: string; unique: boolean; primary: boolean; partial: boolean; constraint: boolean; columns: string[] }>`
    SELECT c.relname AS table, i.relname AS name, x.indisunique AS unique, x.indisprimary AS primary, x.indpred IS NOT NULL AS partial,
      EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u')) AS constraint,
      ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS key(attnum, position)
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = key.attnum ORDER BY key.position) AS columns
    FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema()`.execute(db);
  for (const index of indexes.rows) {
    if (index.primary) table(index.table).primaryKey = index.columns;
    else if (index.unique) table(index.table).uniques.push(unique(index.columns, index.partial));
    if (!index.constraint) table(index.table).namedIndexes.push(indexLine(index.name, index.columns, index.unique, index.partial));
  }

  const foreignKeys = await sql<{ table: string; column: string; references: string; referenced: string; on_delete: string; width: number }>`
    SELECT c.relname AS table, a.attname::text AS column, r.relname AS references, ra.attname::text AS referenced, k.confdeltype::text AS on_delete, array_length(k.conkey, 1) AS width
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = k.confkey[1]
    WHERE k.contype = 'f' AND n.nspname = current_schema()`.execute(db);
  for (const key of foreignKeys.rows) {
    if (key.width !== 1) throw new Error(`${key.table}: a foreign key over ${key.width} columns, which this description does not cover`);
    table(key.table).foreignKeys.push(`${key.column} → ${key.references}.${key.referenced} on delete ${POSTGRES_ON_DELETE[key.on_delete] ?? key.on_delete}`);
  }

  const checks = await sql<{ table: string; checks: number }>`
    SELECT c.relname AS table, count(*)::int AS checks FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE k.contype = 'c' AND n.nspname = current_schema() GROUP BY c.relname`.execute(db);
  for (const row of checks.rows) table(row.table).checks = row.checks;

  const triggers = await sql<{ table: string; name: string }>`
    SELECT c.relname AS table, t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE NOT t.tgisinternal AND n.nspname = current_schema()`.execute(db);
  shape.triggers = triggers.rows.map((trigger) => `${trigger.table}.${trigger.name}`);
  return sorted(shape);
}
