import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/db/open';
import { migrations } from '../../src-main/db/migrations';
import { openKioskStation } from '../../src-main/kiosk-start';
import { DATABASE_FILE } from '../../src-main/station';
import { runCli, webHostCommand } from '../support/cli';
import { sqliteFileEnv } from '../support/register-location';

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'kortstation-db-'));

/**
 * A station database left by another Kortstation: 'newer' has one migration more than this version knows, 'foreign' a
 * different second migration. It is in rollback-journal mode, as another version may leave it, so a refusal that
 * switched it to WAL would show in the file's header.
 */
async function otherVersionsDatabase(kind: 'newer' | 'foreign'): Promise<string> {
  const dataDir = freshDir();
  const path = join(dataDir, DATABASE_FILE);
  await (await openDatabase(path)).close();
  const sqlite = new BetterSqlite3(path);
  if (kind === 'newer') sqlite.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run('999-from-the-future', '2030-01-01T00:00:00.000Z');
  else sqlite.prepare("UPDATE kysely_migration SET name = '002-someone-elses' WHERE name = (SELECT name FROM kysely_migration ORDER BY name LIMIT 1 OFFSET 1)").run();
  sqlite.pragma('journal_mode = DELETE');
  sqlite.close();
  return dataDir;
}

/** Every file of the data folder and its bytes: a refusal may neither change the database nor leave a journal beside it. */
function snapshot(dataDir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dataDir).sort().map((name) => [name, readFileSync(join(dataDir, name)).toString('base64')]));
}

/** A people file outside the data folder, so the snapshot sees only what the station itself keeps there. */
function peopleFile(dataDir: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kortstation-people-')), `${basename(dataDir)}.csv`);
  writeFileSync(file, 'personnummer;förnamn;efternamn\n');
  return file;
}

describe('the station database file', () => {
  it('is created in WAL mode with foreign keys on and every migration applied, and reopens without change', async () => {
    const path = join(freshDir(), DATABASE_FILE);
    const first = await openDatabase(path);
    // PRAGMA answers per connection: asked on the station's own
    expect(await first.value('PRAGMA journal_mode')).toBe('wal');
    expect(await first.value('PRAGMA foreign_keys')).toBe(1);
    expect(first.appliedMigrations).toBe(Object.keys(migrations).length);
    await first.kysely.insertInto('setting').values({ key: 'station.name', value: 'Akademiska' }).execute();
    await first.close();

    const again = await openDatabase(path);
    expect(await again.kysely.selectFrom('setting').selectAll().execute()).toEqual([{ key: 'station.name', value: 'Akademiska' }]);
    await again.close();
  });

  it.each(['newer', 'foreign'] as const)('refuses a %s database from every CLI command that opens it and from the web host: exit 1, a clear message, the file untouched', async (kind) => {
    const dataDir = await otherVersionsDatabase(kind);
    const untouched = snapshot(dataDir);
    const message = kind === 'newer' ? /written by a newer Kortstation/ : /belongs to another Kortstation version/;

    for (const args of [['audit', 'verify'], ['invoices', 'show', '--month', '2026-10'], ['people', 'import', peopleFile(dataDir), '--dry-run']]) {
      const cli = runCli([...args, '--data', dataDir], { env: sqliteFileEnv() });
      expect(cli.status, args.join(' ')).toBe(1);
      expect(cli.stderr, args.join(' ')).toMatch(message);
      expect(cli.stdout, args.join(' ')).toBe('');
      // a message for the person at the station, not a crash's stack trace
      expect(cli.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
    const json = runCli(['audit', 'verify', '--data', dataDir, '--json'], { env: sqliteFileEnv() });
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'database-version', message: expect.stringMatching(message) } });
    const web = spawnSync(...webHostCommand(['--data', dataDir]), { encoding: 'utf8', timeout: 30_000 });
    expect(web.status).toBe(1);
    expect(web.stderr).toMatch(message);

    expect(snapshot(dataDir)).toEqual(untouched);
    // five processes started one after another: seconds apiece on a loaded machine
  }, 180_000);

  it.each(['newer', 'foreign'] as const)('makes the kiosk tell the counter in Swedish and quit with exit 1 on a %s database, the file untouched', async (kind) => {
    const dataDir = await otherVersionsDatabase(kind);
    const untouched = snapshot(dataDir);
    const opening = await openKioskStation({ dataDir, host: 'electron', trustDirs: [], allowVirtualReaders: false });
    if (opening.kind === 'opened') await opening.station.close();
    expect(opening).toEqual({
      kind: 'refused',
      refusal: {
        title: 'Kortstation kan inte starta',
        message: expect.stringMatching(kind === 'newer' ? /nyare version av Kortstation.*Inget har ändrats i databasen/ : /annan version av Kortstation.*Inget har ändrats i databasen/),
        detail: expect.stringContaining(join(dataDir, DATABASE_FILE)),
        exitCode: 1,
      },
    });
    expect(snapshot(dataDir)).toEqual(untouched);
  });
});
