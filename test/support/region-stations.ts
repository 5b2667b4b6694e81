// Station processes of one region: browser-mode hosts on one PostgreSQL database, all holding the region's data key, and API calls that report a refusal instead of throwing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runCli } from './cli';
import type { Api } from './staff-session';
import { startWebHostProcess, type RunningWebHost } from './web-host-process';

const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `kortstation-${prefix}-`));

/** The administrator's key file (`cli keys create`), imported by every station before it first opens the register. */
export function regionKeyFile(): string {
  const file = join(tempDir('region-admin'), 'region.key');
  const created = runCli(['keys', 'create', file, '--json']);
  if (created.status !== 0) throw new Error(`keys create failed: ${created.stdout}${created.stderr}`);
  return file;
}

/** The region database built by `cli db migrate`, as the region administrator builds it before any station joins. */
export function migrateRegion(regionUrl: string): void {
  const migrated = runCli(['db', 'migrate', '--database', regionUrl, '--json']);
  if (migrated.status !== 0) throw new Error(`db migrate failed: ${migrated.stdout}${migrated.stderr}`);
}

/** A new station's data folder holding the region's key (`cli keys import`), on the region database. */
export function joinRegion(regionUrl: string, keyFile: string): string {
  const dataDir = tempDir('region-station');
  const imported = runCli(['keys', 'import', keyFile, '--data', dataDir, '--database', regionUrl, '--json']);
  if (imported.status !== 0) throw new Error(`keys import failed: ${imported.stdout}${imported.stderr}`);
  return dataDir;
}

/** A browser-mode station process on the region database; with a name, it joins that station as it starts (a second kiosk at the same counter). */
export function startRegionStation(regionUrl: string, dataDir: string, args: string[] = [], stationName?: string): Promise<RunningWebHost> {
  return startWebHostProcess({ dataDir, args: ['--database', regionUrl, ...args], env: stationName ? { KORTSTATION_STATION_NAME: stationName } : {} });
}

export type Outcome<T = unknown> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** One API call whose refusal is an outcome to compare, not an exception. */
export async function attempt<T = unknown>(api: Api, name: string, input: unknown): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await api<T>(name, input) };
  } catch (error) {
    const text = (error as Error).message;
    if (!text.startsWith(`${name}: `)) throw error;
    const reply = JSON.parse(text.slice(name.length + 2)) as { code: string; message: string };
    return { ok: false, code: reply.code, message: reply.message };
  }
}

/** A query on the region database from outside every station, as an auditor would look. */
export async function regionQuery<T extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** The one number a count query returns. */
export async function regionCount(url: string, text: string, params: unknown[] = []): Promise<number> {
  const [row] = await regionQuery<{ count: string }>(url, text, params);
  return Number(row?.count ?? 0);
}
