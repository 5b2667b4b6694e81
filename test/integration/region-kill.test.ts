// kill -9 of a station process in the middle of a handover and of a people import on the region database: nothing half-done — the handover's one statement is done whole, the import's transaction not at all and then goes through.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { csvLine, personnummerFor, TEMPLATE_HEADER, testPerson } from '../people-data';
import { createScenario, SCENARIO_HOLDER, SCENARIO_SERIAL } from '../sim/scenarios';
import { insertCard, type InsertedCard } from '../sim/vpcd';
import { cliCommand, runCli } from '../support/cli';
import { READER_1 } from '../support/pcscd';
import { freshPostgresDatabase } from '../support/postgres';
import { attempt, joinRegion, migrateRegion, regionCount, regionKeyFile, regionQuery, startRegionStation } from '../support/region-stations';
import { apiLogin, apiSession, firstRunByApi } from '../support/staff-session';
import { createPerson, readyCardOrder } from '../support/station-scene';
import { writeTrustDir } from '../support/trust-dir';
import type { RunningWebHost } from '../support/web-host-process';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, limitMs = 30_000): Promise<T> {
  for (let waited = 0; ; waited += 20) {
    const found = await probe();
    if (found !== undefined) return found;
    if (waited > limitMs) throw new Error(`never saw ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The server process of a station's open transaction that has written rows into `table` and has not committed. */
async function writerOf(region: string, table: string): Promise<number | undefined> {
  const [row] = await regionQuery<{ pid: number }>(
    region,
    `SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid JOIN pg_class c ON c.oid = l.relation
     WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL AND c.relname = $1 AND l.mode = 'RowExclusiveLock'`,
    [table],
  );
  return row?.pid;
}

/** The server process of a station's handover under way: it holds the order and waits for its chain's head, held from outside. */
async function handoverWaitingForItsAuditRow(region: string): Promise<number | undefined> {
  const [row] = await regionQuery<{ pid: number }>(
    region,
    `SELECT a.pid FROM pg_stat_activity a
     WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
       AND EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = a.pid AND c.relname = 'card_order' AND l.granted)
       AND EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = a.pid AND c.relname = 'audit_chain' AND NOT l.granted)`,
  );
  return row?.pid;
}

/** Holds every chain head from outside: a station's transaction then stops at its audit row, after its other writes. */
async function holdAuditAppends(region: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: region });
  await client.connect();
  await client.query('BEGIN');
  // EXCLUSIVE lets plain reads through but no FOR UPDATE and no write of a head
  await client.query('LOCK TABLE audit_chain IN EXCLUSIVE MODE');
  return async () => {
    await client.end().catch(() => undefined);
  };
}

type Child = RunningWebHost['process'];
const running = (child: Child): boolean => child.exitCode === null && child.signalCode === null;

async function killed(child: Child): Promise<void> {
  if (!running(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

/** The server has rolled the dead station's transaction back once its session is gone. */
const sessionGone = (region: string, pid: number) => until(`session ${pid} end`, async () => ((await regionCount(region, 'SELECT count(*) FROM pg_stat_activity WHERE pid = $1', [pid])) === 0 ? true : undefined));

describe('a station killed with -9 on the region database', () => {
  it('in the middle of a handover: the statement the server already has is done whole, once, and another station is then refused', async () => {
    const region = await freshPostgresDatabase(inject('postgresUrl'));
    const key = regionKeyFile();
    const scenario = await createScenario('healthy');
    const trust = writeTrustDir(scenario.trustedRoots);
    const station = await startRegionStation(region, joinRegion(region, key), ['--trust', trust]);
    cleanups.push(() => (running(station.process) ? station.stop() : Promise.resolve()));
    const api = await apiSession(station);
    const secret = await firstRunByApi(api, 'Akademiska, ingång 70');
    const [firstName, surname] = SCENARIO_HOLDER.name.split(' ') as [string, string];
    const holder = await createPerson(api, { firstName, surname, personnummer: personnummerFor(40), hsaId: SCENARIO_HOLDER.hsaId, employmentType: 'region' });
    const orderId = await readyCardOrder(api, holder, SCENARIO_SERIAL);
    const card: InsertedCard = await insertCard(scenario.applet, { reader: 1 });
    cleanups.push(() => card.remove());
    await until('the card test', async () => ((await api<{ reader: string; state: string }[]>('card.results', {})).some((result) => result.reader === READER_1 && result.state === 'done') ? true : undefined));
    const auditBefore = await regionCount(region, 'SELECT count(*) FROM audit_entry');

    const release = await holdAuditAppends(region);
    const handover = { orderId, reader: READER_1, idDocument: { type: 'pass', lastFour: '12ab', expiry: '2099-12-31', note: null }, photoMatchesFace: true, pinLetterBrought: true };
    void attempt(api, 'cardOrders.handover', handover).catch(() => undefined);
    // the handover holds the order and waits for the audit row it writes with the order's new state and event
    const pid = await until('the handover under way', () => handoverWaitingForItsAuditRow(region));
    await killed(station.process);
    await release();
    await sessionGone(region, pid);

    // a first card's handover is one statement, no open transaction: the server finishes it whole though its station is gone
    expect(await regionQuery(region, 'SELECT state FROM card_order WHERE id = $1', [orderId])).toEqual([{ state: 'handed-over' }]);
    expect(await regionCount(region, "SELECT count(*) FROM card_event WHERE order_id = $1 AND action = 'hand-over'", [orderId])).toBe(1);
    expect(await regionCount(region, 'SELECT count(*) FROM audit_entry')).toBe(auditBefore + 1);
    expect(await regionCount(region, "SELECT count(*) FROM audit_entry WHERE action = 'card.hand-over' AND outcome = 'ok' AND subject_id = $1", [String(orderId)])).toBe(1);

    // a second kiosk at the same counter, where the card was photographed
    const next = await startRegionStation(region, joinRegion(region, key), ['--trust', trust], 'Akademiska, ingång 70');
    cleanups.push(() => next.stop());
    const nextApi = await apiLogin(next, secret);
    await until('the card test', async () => ((await nextApi<{ reader: string; state: string }[]>('card.results', {})).some((result) => result.reader === READER_1 && result.state === 'done') ? true : undefined));
    expect(await attempt(nextApi, 'cardOrders.handover', handover)).toMatchObject({ ok: false, code: 'card-already-done' });
    expect(await regionCount(region, "SELECT count(*) FROM card_event WHERE order_id = $1 AND action = 'hand-over'", [orderId])).toBe(1);
    expect(await nextApi('audit.verify', {})).toMatchObject({ ok: true, firstBadRow: null });
  }, 120_000);

  it('in the middle of a people import leaves no one imported and no audit row; the same file then imports whole', async () => {
    const region = await freshPostgresDatabase(inject('postgresUrl'));
    migrateRegion(region);
    const dataDir = joinRegion(region, regionKeyFile());
    const file = join(mkdtempSync(join(tmpdir(), 'kortstation-kill-import-')), 'personal.csv');
    const count = 20_000;
    const lines = [TEMPLATE_HEADER];
    for (let n = 0; n < count; n++) lines.push(csvLine(testPerson(100_000 + n)));
    writeFileSync(file, lines.join('\r\n'));
    const args = ['people', 'import', file, '--data', dataDir, '--database', region, '--json'];

    // the held chain heads keep the import from committing, however fast it writes: the kill lands before its end
    const release = await holdAuditAppends(region);
    const [command, commandArgs] = cliCommand(args);
    const child = spawn(command, commandArgs, { stdio: 'ignore' });
    cleanups.push(() => killed(child));
    // kill -9 once the import's transaction has written people
    const pid = await until('the import writing people', () => writerOf(region, 'person'), 60_000);
    await killed(child);
    await release();
    await sessionGone(region, pid);

    expect(await regionCount(region, 'SELECT count(*) FROM person')).toBe(0);
    expect(await regionCount(region, 'SELECT count(*) FROM person_unit')).toBe(0);
    expect(await regionCount(region, "SELECT count(*) FROM audit_entry WHERE action = 'people.imported'")).toBe(0);

    const again = runCli(args, { timeout: 120_000 });
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: count, errors: [] });
    expect(await regionCount(region, 'SELECT count(*) FROM person')).toBe(count);
    const verified = runCli(['audit', 'verify', '--data', dataDir, '--database', region, '--json']);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, firstBadRow: null });
  }, 180_000);
});
