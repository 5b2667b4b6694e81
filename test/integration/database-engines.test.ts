import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { migrations, type StationMigration } from '../../src-main/db/migrations';
import { openDatabase } from '../../src-main/db/open';
import type { Database } from '../../src-main/db/schema';
import { DatabaseVersionError } from '../../src-main/db/version-error';
import { DATABASE_FILE } from '../../src-main/station';
import { freshPostgresDatabase, onPostgres } from '../support/postgres';
import { postgresSchemaShape, sqliteSchemaShape, type SchemaShape } from '../support/schema-shape';

const known = Object.keys(migrations).sort();
const freshSqlitePath = (): string => join(mkdtempSync(join(tmpdir(), 'kortstation-engines-')), DATABASE_FILE);
const freshPostgresUrl = (): Promise<string> => freshPostgresDatabase(inject('postgresUrl'));

// every table the register holds (src-main/db/schema.ts); Kysely's own bookkeeping tables are Kysely's and typed by it
const REGISTER_TABLES = [
  'audit_chain', 'audit_entry', 'block_request', 'card_event', 'card_order', 'charge', 'crl', 'invoice_month', 'mail_reminder', 'mail_template', 'organisation', 'outbox',
  'person', 'person_unit', 'setting', 'staff_account', 'staff_invitation', 'staff_password_history', 'staff_reset_code', 'staff_unit', 'station', 'token', 'token_event', 'unit', 'unit_token_order',
];
const registerOnly = (shape: SchemaShape): SchemaShape => ({ ...shape, tables: Object.fromEntries(Object.entries(shape.tables).filter(([name]) => !name.startsWith('kysely_'))) });

interface Engine {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty register's location. */
  fresh(): Promise<string>;
  /** Runs SQL on the register outside Kortstation, as another program (or another version) would. */
  tamper(location: string, statement: string): Promise<void>;
  appliedNames(location: string): Promise<string[]>;
  shape(location: string): Promise<SchemaShape>;
}

const sqliteEngine: Engine = {
  name: 'sqlite',
  fresh: async () => freshSqlitePath(),
  tamper: async (path, statement) => {
    const sqlite = new BetterSqlite3(path);
    sqlite.exec(statement);
    sqlite.close();
  },
  appliedNames: async (path) => {
    const sqlite = new BetterSqlite3(path, { readonly: true });
    const exists = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'kysely_migration'").get();
    const names = exists ? (sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all() as string[]) : [];
    sqlite.close();
    return names;
  },
  shape: async (path) => {
    const sqlite = new BetterSqlite3(path, { readonly: true });
    const shape = sqliteSchemaShape(sqlite);
    sqlite.close();
    return shape;
  },
};

const postgresEngine: Engine = {
  name: 'postgres',
  fresh: freshPostgresUrl,
  tamper: (url, statement) => onPostgres(url, async (client) => void (await client.query(statement))),
  appliedNames: (url) =>
    onPostgres(url, async (client) => {
      const exists = await client.query("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'kysely_migration'");
      if (exists.rowCount === 0) return [];
      return (await client.query<{ name: string }>('SELECT name FROM kysely_migration')).rows.map((row) => row.name).sort();
    }),
  shape: async (url) => {
    const opened = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }) });
    try {
      return await postgresSchemaShape(opened);
    } finally {
      await opened.destroy();
    }
  },
};

describe('the register on both engines', () => {
  let sqliteShape: SchemaShape;
  let postgresShape: SchemaShape;

  beforeAll(async () => {
    const path = freshSqlitePath();
    const url = await freshPostgresUrl();
    for (const location of [path, url]) {
      const opened = await openDatabase(location);
      expect(opened.appliedMigrations).toBe(known.length);
      await opened.close();
    }
    sqliteShape = registerOnly(await sqliteEngine.shape(path));
    postgresShape = registerOnly(await postgresEngine.shape(url));
  });

  it('builds the same tables, columns, keys, indexes, checks and triggers from the same migrations', () => {
    expect(Object.keys(sqliteShape.tables).sort()).toEqual(REGISTER_TABLES);
    // the five invoice-month triggers: charges of a closed month are frozen, and a closed month stays closed
    expect(sqliteShape.triggers).toHaveLength(5);
    expect(postgresShape).toEqual(sqliteShape);
  });

  it('gives every table with a generated id an id that is never handed out twice, and stores whole numbers in 64 bits on both', () => {
    for (const shape of [sqliteShape, postgresShape]) {
      expect(shape.tables.audit_entry!.columns.id).toEqual({ type: 'integer64', notNull: true, default: null, generatedId: true });
      expect(shape.tables.token!.columns.t0!.type).toBe('integer64');
      expect(shape.tables.crl!.columns.der!.type).toBe('bytes');
    }
  });
});

describe.each([sqliteEngine, postgresEngine])('the migration history on $name', (engine) => {
  it.each([
    ['newer', "INSERT INTO kysely_migration (name, timestamp) VALUES ('999-from-the-future', '2030-01-01T00:00:00.000Z')", /written by a newer Kortstation/],
    ['foreign', `UPDATE kysely_migration SET name = '002-someone-elses' WHERE name = '${known[1]}'`, /has migration "002-someone-elses" where this version expects "002-crls"/],
  ] as const)('refuses a %s history and changes nothing', async (reason, tampering, message) => {
    const location = await engine.fresh();
    await (await openDatabase(location)).close();
    await engine.tamper(location, tampering);
    const namesBefore = await engine.appliedNames(location);
    const shapeBefore = await engine.shape(location);

    const opening = openDatabase(location);
    await expect(opening).rejects.toThrow(DatabaseVersionError);
    await expect(opening).rejects.toMatchObject({ reason, message: expect.stringMatching(message) });
    expect(await engine.appliedNames(location)).toEqual(namesBefore);
    expect(await engine.shape(location)).toEqual(shapeBefore);
  });

  it('runs each migration in its own transaction: one that throws halfway leaves the register at the version before it', async () => {
    const location = await engine.fresh();
    const previous = Object.fromEntries(known.slice(0, -1).map((name) => [name, migrations[name]!]));
    await (await openDatabase(location, { migrations: previous })).close();
    const halfway: StationMigration = {
      async up(db: Kysely<unknown>) {
        await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
        await sql`INSERT INTO half_done (id) VALUES (1)`.execute(db);
        await sql`INSERT INTO setting (key, value) VALUES ('half', 'done')`.execute(db);
        throw new Error('power cut');
      },
    };
    await expect(openDatabase(location, { migrations: { ...migrations, '999-halfway': halfway } })).rejects.toThrow('power cut');

    // the last known migration went in and committed; nothing of the one that died did
    expect(await engine.appliedNames(location)).toEqual(known);
    const shape = await engine.shape(location);
    expect(Object.keys(shape.tables)).not.toContain('half_done');
    const reopened = await openDatabase(location);
    expect(reopened.appliedMigrations).toBe(known.length);
    expect(await reopened.kysely.selectFrom('setting').select('key').where('key', '=', 'half').execute()).toEqual([]);
    await reopened.close();
  });
});

const NOW = '2026-11-29T12:00:00.000Z';

async function personWithUnit(db: Kysely<Database>): Promise<{ personId: number; unitId: number }> {
  const { id: organisationId } = await db.insertInto('organisation').values({ name: 'Region Uppsala', kind: 'region' }).returning('id').executeTakeFirstOrThrow();
  const { id: unitId } = await db.insertInto('unit').values({ organisation_id: organisationId, parent_id: null, name: 'Akutmottagningen', reference: 'REF-1001' }).returning('id').executeTakeFirstOrThrow();
  const { id: personId } = await db
    .insertInto('person')
    .values({
      first_name: 'Anna', surname: 'Andersson', personnummer: '199001012384', hsa_id: null, username: null, email: null, mobile: null, employment_type: 'kommunal', employment_end: null,
      search_name: 'anna andersson', search_name_reversed: 'andersson anna', search_personnummer10: '9001012384', search_hsa_id: null, search_username: null, created_at: NOW, updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { personId, unitId };
}

const token = (serial: string, personId: number | null, state: 'issued' | 'in-stock') => ({
  serial, kind: 'totp' as const, algorithm: 'SHA1' as const, digits: 6, period: 30, t0: 0, drift: 0, counter: null, last_step: null, sealed_seed: Buffer.from([1, 2, 3]),
  manufacturer: null, category: personId === null ? null : ('kommunal' as const), state, unit_id: null, station_id: null, person_id: personId, issued_at: null, imported_at: NOW, state_changed_at: NOW,
});

describe.each([sqliteEngine, postgresEngine])('the rules the database itself holds on $name', (engine) => {
  it('freezes the charges of a closed invoice month, keeps the month closed, and allows one kommunal token per person', async () => {
    const opened = await openDatabase(await engine.fresh());
    const db = opened.kysely;
    try {
      const { personId, unitId } = await personWithUnit(db);
      expect(typeof personId).toBe('number');
      const charge = { at: NOW, kind: 'lost-token' as const, amount_ore: 40_000, person_id: personId, unit_id: unitId, reference: 'REF-1001', token_id: null, correction_of: null };
      const { id: chargeId } = await db.insertInto('charge').values({ ...charge, month: '2026-11' }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('invoice_month').values({ month: '2026-10', closed_at: NOW, closed_by: 'ekonomi' }).execute();

      await expect(db.insertInto('charge').values({ ...charge, month: '2026-10' }).execute()).rejects.toThrow('invoice month closed');
      await expect(db.updateTable('charge').set({ month: '2026-10' }).where('id', '=', chargeId).execute()).rejects.toThrow('invoice month closed');
      await expect(db.deleteFrom('invoice_month').where('month', '=', '2026-10').execute()).rejects.toThrow('invoice month closed');
      await expect(db.updateTable('invoice_month').set({ closed_by: 'någon annan' }).execute()).rejects.toThrow('invoice month closed');
      await db.insertInto('invoice_month').values({ month: '2026-11', closed_at: NOW, closed_by: 'ekonomi' }).execute();
      await expect(db.deleteFrom('charge').where('id', '=', chargeId).execute()).rejects.toThrow('invoice month closed');
      expect(await db.selectFrom('charge').select(['id', 'month', 'amount_ore']).execute()).toEqual([{ id: chargeId, month: '2026-11', amount_ore: 40_000 }]);

      await db.insertInto('token').values(token('K-1', personId, 'issued')).execute();
      await expect(db.insertInto('token').values(token('K-2', personId, 'issued')).execute()).rejects.toThrow(/unique/i);
      // an issued token names its holder: the check constraint, not only the service
      await expect(db.insertInto('token').values({ ...token('K-3', null, 'in-stock'), state: 'issued' }).execute()).rejects.toThrow(/check/i);
      const stored = await db.selectFrom('token').select(['serial', 'sealed_seed', 'digits']).execute();
      expect(stored.map((row) => ({ ...row, sealed_seed: Buffer.from(row.sealed_seed) }))).toEqual([{ serial: 'K-1', sealed_seed: Buffer.from([1, 2, 3]), digits: 6 }]);
    } finally {
      await opened.close();
    }
  });
});
