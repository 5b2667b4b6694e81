import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { migrations } from '../../src-main/db/migrations';
import { openKioskStation } from '../../src-main/kiosk-start';
import { runCli, webHostCommand } from '../support/cli';
import { freshPostgresDatabase } from '../support/postgres';

const known = Object.keys(migrations).length;
const PASSWORD = 'hemligt-losen-7';
const regionUrl = (): Promise<string> => freshPostgresDatabase(inject('postgresUrl'));
/** The URL with a password, as KORTSTATION_DATABASE_URL may hold it (the throw-away cluster trusts its socket and never asks for it). */
const withPassword = (url: string): string => url.replace('postgres://postgres@', `postgres://postgres:${PASSWORD}@`);
const environmentWith = (url: string): NodeJS.ProcessEnv => ({ ...process.env, KORTSTATION_DATABASE_URL: url });
const freshDataDir = (): string => mkdtempSync(join(tmpdir(), 'kortstation-region-'));
const REFUSAL = /PostgreSQL stöds ännu bara för migreringar/;

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
    const cli = runCli(['db', 'migrate', '--data', freshDataDir(), '--json']);
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual({ engine: 'sqlite', appliedMigrations: known });
  });

  it('is refused by the commands whose services still need SQLite, by flag or environment, without the password in what they print', async () => {
    const url = await regionUrl();
    const byFlag = runCli(['audit', 'verify', '--database', url, '--json']);
    expect(byFlag.status).toBe(1);
    expect(JSON.parse(byFlag.stdout)).toEqual({ error: { code: 'database-engine', message: expect.stringMatching(REFUSAL) } });
    const byEnvironment = runCli(['invoices', 'show', '--month', '2026-10', '--data', freshDataDir()], { env: environmentWith(withPassword(url)) });
    expect(byEnvironment.status).toBe(1);
    expect(byEnvironment.stderr).toMatch(REFUSAL);
    expect(byEnvironment.stderr).not.toContain(PASSWORD);
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

  it('is refused by browser mode and by the kiosk, which says so in Swedish', async () => {
    const url = await regionUrl();
    const web = spawnSync(...webHostCommand(['--data', freshDataDir()]), { encoding: 'utf8', timeout: 30_000, env: environmentWith(withPassword(url)) });
    expect(web.status).toBe(1);
    expect(web.stderr).toMatch(REFUSAL);
    expect(web.stderr).not.toContain(PASSWORD);
    const byFlag = spawnSync(...webHostCommand(['--data', freshDataDir(), '--database', url]), { encoding: 'utf8', timeout: 30_000 });
    expect(byFlag.status).toBe(1);
    expect(byFlag.stderr).toMatch(REFUSAL);

    const opening = await openKioskStation({ dataDir: freshDataDir(), database: withPassword(url), host: 'electron', trustDirs: [], allowVirtualReaders: false });
    if (opening.kind === 'opened') await opening.station.close();
    expect(opening).toEqual({
      kind: 'refused',
      refusal: { title: 'Kortstation kan inte starta', message: expect.stringMatching(/^PostgreSQL stöds ännu bara för migreringar\..*Inget har ändrats i databasen\.$/), detail: expect.not.stringContaining(PASSWORD), exitCode: 1 },
    });
  });
});
