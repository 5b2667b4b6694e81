import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/db/open';
import { migrations, type StationMigration } from '../../src-main/db/migrations';
import { DATABASE_FILE } from '../../src-main/station';
import { runCli, webHostCommand } from '../support/cli';

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'kortstation-db-'));

describe('the station database file', () => {
  it('is created in WAL mode with foreign keys on and every migration applied, and reopens without change', async () => {
    const path = join(freshDir(), DATABASE_FILE);
    const first = await openDatabase(path);
    expect(first.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(first.appliedMigrations).toBe(Object.keys(migrations).length);
    await first.db.insertInto('setting').values({ key: 'station.name', value: 'Akademiska' }).execute();
    await first.close();

    const again = await openDatabase(path);
    expect(await again.db.selectFrom('setting').selectAll().execute()).toEqual([{ key: 'station.name', value: 'Akademiska' }]);
    await again.close();
  });

  it('refuses a database from a newer version from the CLI and the web host, with exit code 1 and the file untouched', async () => {
    const dataDir = freshDir();
    const path = join(dataDir, DATABASE_FILE);
    (await openDatabase(path)).close();
    const sqlite = new BetterSqlite3(path);
    sqlite.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run('999-from-the-future', new Date().toISOString());
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.close();
    const before = readFileSync(path);

    const web = spawnSync(...webHostCommand(['--data', dataDir]), { encoding: 'utf8', timeout: 20_000 });
    expect(web.status).toBe(1);
    expect(web.stderr).toMatch(/newer Kortstation/);

    const cli = runCli(['readers', '--data', dataDir, '--json']);
    expect(cli.status).toBe(0); // readers need no database; commands that open it refuse (see the web host above)

    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('runs each migration in its own transaction: one that throws halfway leaves the file at the version before it', async () => {
    const path = join(freshDir(), DATABASE_FILE);
    const known = Object.keys(migrations).sort();
    const previous = Object.fromEntries(known.slice(0, -1).map((name) => [name, migrations[name]!]));
    await (await openDatabase(path, { migrations: previous })).close();
    // the last known migration goes in and commits; the one after it creates a table, writes to it and then dies
    const halfway: StationMigration = {
      async up(db: Kysely<unknown>) {
        await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
        await sql`INSERT INTO half_done (id) VALUES (1)`.execute(db);
        await sql`INSERT INTO setting (key, value) VALUES ('half', 'done')`.execute(db);
        throw new Error('power cut');
      },
    };
    const upgrade = { ...migrations, '999-halfway': halfway };
    await expect(openDatabase(path, { migrations: upgrade })).rejects.toThrow('power cut');

    const inspect = new BetterSqlite3(path, { readonly: true });
    expect(inspect.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    expect(inspect.prepare("SELECT value FROM setting WHERE key = 'half'").get()).toBeUndefined();
    expect(inspect.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all()).toEqual(known);
    inspect.close();
    const reopened = await openDatabase(path);
    expect(reopened.appliedMigrations).toBe(known.length);
    await reopened.close();
    // the same upgrade runs again from a clean start: the failure is the migration's own, not left-overs of the first try
    await expect(openDatabase(path, { migrations: upgrade })).rejects.toThrow('power cut');
  });
});
