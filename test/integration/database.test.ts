import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/db/open';
import { migrations } from '../../src-main/db/migrations';
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
});
