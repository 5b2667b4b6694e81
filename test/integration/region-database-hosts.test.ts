import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { migrations } from '../../src-main/db/migrations';
import { openKioskStation } from '../../src-main/kiosk-start';
import { STATION_IDENTITY_FILE } from '../../src-main/organisation/station-identity';
import { runCli, webHostCommand } from '../support/cli';
import { sqliteFileEnv } from '../support/register-location';
import { DATABASE_FILE } from '../../src-main/db/location';
import { csvLine, TEMPLATE_HEADER, testPerson } from '../people-data';
import { freshPostgresDatabase, onPostgres } from '../support/postgres';
import { apiSession, firstRunByApi } from '../support/staff-session';
import { startWebHostProcess } from '../support/web-host-process';
import { keyFileDataKeySource } from '../../src-main/tokens/seed-crypto';

const known = Object.keys(migrations).length;
const PASSWORD = 'hemligt-losen-7';
const regionUrl = (): Promise<string> => freshPostgresDatabase(inject('postgresUrl'));
/** The URL with a password, as KORTSTATION_DATABASE_URL may hold it (the throw-away cluster trusts its socket and never asks for it). */
const withPassword = (url: string): string => url.replace('postgres://postgres@', `postgres://postgres:${PASSWORD}@`);
const environmentWith = (url: string): NodeJS.ProcessEnv => ({ ...process.env, KORTSTATION_DATABASE_URL: url });
const freshDataDir = (): string => mkdtempSync(join(tmpdir(), 'kortstation-region-'));

describe('a region database given to the hosts', () => {
  it('is built by `cli db migrate --database URL`, and a second run finds nothing to do', async () => {
    const url = await regionUrl();
    for (let run = 0; run < 2; run++) {
      const cli = runCli(['db', 'migrate', '--database', url, '--json']);
      expect(cli.stderr).toBe('');
      expect(cli.status).toBe(0);
      expect(JSON.parse(cli.stdout)).toEqual({ engine: 'postgres', appliedMigrations: known });
    }
    const text = runCli(['db', 'migrate'], { env: environmentWith(withPassword(url)) });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`${known} migrations applied (PostgreSQL)`);
    expect(text.stdout).not.toContain(PASSWORD);
  });

  it('`cli db migrate` without a URL builds the SQLite file of --data as before', () => {
    const cli = runCli(['db', 'migrate', '--data', freshDataDir(), '--json'], { env: sqliteFileEnv() });
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual({ engine: 'sqlite', appliedMigrations: known });
  });

  it('runs every station command on it: a people import and the audit trail land in PostgreSQL, not in a file of --data', async () => {
    const url = await regionUrl();
    const dataDir = freshDataDir();
    const people = join(mkdtempSync(join(tmpdir(), 'kortstation-region-files-')), 'personal.csv');
    writeFileSync(people, [TEMPLATE_HEADER, csvLine(testPerson(1)), csvLine(testPerson(2))].join('\r\n'));
    const imported = runCli(['people', 'import', people, '--data', dataDir, '--json'], { env: environmentWith(withPassword(url)) });
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    const verified = runCli(['audit', 'verify', '--data', dataDir, '--database', url, '--json']);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, rows: 1 });
    // a region administrator's machine need not have a data folder yet: the command makes the one that finds its key
    const elsewhere = join(freshDataDir(), 'ny-station');
    const fromNowhere = runCli(['audit', 'verify', '--data', elsewhere, '--database', url, '--json']);
    expect(JSON.parse(fromNowhere.stdout)).toMatchObject({ ok: false, rows: 1 });
    expect(fromNowhere.stdout).not.toContain('ENOENT');
    expect(await onPostgres(url, (client) => client.query('SELECT COUNT(*)::int AS people FROM person'))).toMatchObject({ rows: [{ people: 2 }] });
    expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(false);
  });

  it('is refused on a command line that carries its password, while the same URL in the environment is taken', async () => {
    const url = withPassword(await regionUrl());
    const cli = runCli(['db', 'migrate', '--database', url, '--json']);
    expect(cli.status).toBe(64);
    expect(JSON.parse(cli.stdout)).toEqual({ error: { code: 'usage', message: expect.stringMatching(/must not carry a password/) } });
    const web = spawnSync(...webHostCommand(['--data', freshDataDir(), '--database', url]), { encoding: 'utf8', timeout: 30_000 });
    expect(web.status).toBe(1);
    expect(web.stderr).toMatch(/must not carry a password/);
    for (const output of [cli.stdout, web.stderr]) expect(output).not.toContain(PASSWORD);
    const migrated = runCli(['db', 'migrate', '--json'], { env: environmentWith(url) });
    expect(JSON.parse(migrated.stdout)).toEqual({ engine: 'postgres', appliedMigrations: known });
  });

  it('runs browser mode and the kiosk on it, and a server out of reach stops the kiosk with a Swedish message', async () => {
    const url = await regionUrl();
    const dataDir = freshDataDir();
    const host = await startWebHostProcess({ dataDir, env: environmentWith(withPassword(url)) });
    try {
      const api = await apiSession(host);
      await firstRunByApi(api, 'Akademiska');
      expect(await api('app.info', {})).toMatchObject({ host: 'web', migrations: known });
    } finally {
      await host.stop();
    }
    expect(host.output()).not.toContain(PASSWORD);
    expect(await onPostgres(url, (client) => client.query('SELECT username FROM staff_account'))).toMatchObject({ rows: [{ username: 'asa.admin' }] });
    expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(false);
    // the kiosk that set the region up is the station named at first run, kept in its data folder, not in the shared settings
    expect(JSON.parse(readFileSync(join(dataDir, STATION_IDENTITY_FILE), 'utf8'))).toEqual({ name: 'Akademiska', organisation: 'Region Uppsala' });
    expect(await onPostgres(url, (client) => client.query("SELECT s.name, (SELECT COUNT(*)::int FROM setting WHERE key = 'station.name') AS shared FROM station s"))).toMatchObject({ rows: [{ name: 'Akademiska', shared: 0 }] });

    // once the region has staff, a kiosk with no name of its own refuses to start rather than guess one
    const nameless = await openKioskStation({ dataDir: freshDataDir(), database: url, host: 'electron', trustDirs: [], allowVirtualReaders: false });
    expect(nameless).toMatchObject({ kind: 'refused', refusal: { message: expect.stringMatching(/^Kortstationen har inget eget stationsnamn i regiondatabasen\./), exitCode: 1 } });
    // a second station of the region: its own data folder and name, the region's data key (here the first station's)
    const kiosk = await openKioskStation({ dataDir: freshDataDir(), database: url, host: 'electron', trustDirs: [], allowVirtualReaders: false, joinAs: { name: 'Enköping' }, dataKey: keyFileDataKeySource(dataDir) });
    expect(kiosk.kind).toBe('opened');
    if (kiosk.kind === 'opened') await kiosk.station.close();

    // a socket folder where no server listens stands in for a server that is down
    const unreachable = url.replace(/host=[^&]+/, `host=${encodeURIComponent(freshDataDir())}`);
    const refused = await openKioskStation({ dataDir: freshDataDir(), database: withPassword(unreachable), host: 'electron', trustDirs: [], allowVirtualReaders: false });
    expect(refused).toEqual({
      kind: 'refused',
      refusal: { title: 'Kortstation kan inte starta', message: expect.stringMatching(/^Ingen kontakt med regiondatabasen\./), detail: expect.not.stringContaining(PASSWORD), exitCode: 1 },
    });
  });
});
