// Every entry point audits: the same change through the kiosk's router and through the CLI leaves the same audit row (only the actor differs).
// Opens a whole station (readers included): run it inside scripts/private-pcscd.sh.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardsCommand } from '../../src-main/cli/cards';
import { crlCommand } from '../../src-main/cli/crl';
import { invoicesCommand } from '../../src-main/cli/invoices';
import { peopleCommand } from '../../src-main/cli/people';
import { tokensCommand } from '../../src-main/cli/tokens';
import type { CliCommand } from '../../src-main/cli/command';
import type { Db } from '../../src-main/db/data-layer';
import type { Session } from '../../src-main/router';
import { STATION_NAME_SETTING } from '../../src-main/organisation/station-label';
import { openStation, type Station } from '../../src-main/station';
import { csvLine, TEMPLATE_HEADER, testPerson } from '../people-data';
import { testPki, type TestPki } from '../sim/pki';
import { generatePskc } from '../sim/pskc-generator';
import { runCli } from '../support/cli';
import { openTestRegister } from '../support/register';
import { testEngine, testRegisterLocation } from '../support/register-location';
import { writeTrustDir } from '../support/trust-dir';

const STATION_NAME = 'Akademiska, ingång 70';
const admin: Session = { id: 'kiosk-window', operator: { id: 1, role: 'org-admin', unitIds: [] } };

let station: Station;
let cliDataDir: string;
let files: string;
let trustDir: string;
let pki: TestPki;

interface RecordedRow {
  actor: string | null;
  station: string;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  outcome: string;
  details: string | null;
}

const lastRow = async (db: Db): Promise<RecordedRow> =>
  (await db.one<RecordedRow>('SELECT actor, station, action, subject_type, subject_id, outcome, details FROM audit_entry ORDER BY id DESC LIMIT 1'))!;
const regionOf = (dataDir: string): string | undefined => (testEngine === 'postgres' ? testRegisterLocation(dataDir) : undefined);

async function lastCliRow(): Promise<RecordedRow> {
  const database = await openTestRegister(cliDataDir);
  try {
    return await lastRow(database);
  } finally {
    await database.close();
  }
}

async function viaRouter(name: string, input: unknown): Promise<{ ok: boolean; row: RecordedRow }> {
  const reply = await station.router.call(admin, name, input);
  return { ok: reply.ok, row: await lastRow(station.database) };
}

/** The CLI command's own module, run in this process on the CLI's data folder (the process-level run is the people import below). */
async function viaCli(command: CliCommand, positionals: string[], values: Record<string, string> = {}): Promise<RecordedRow> {
  await command.run({ positionals, values, dataDir: cliDataDir, database: regionOf(cliDataDir), json: true, allowVirtualReaders: false }).catch((error: unknown) => error);
  return lastCliRow();
}

/** The same row but for who did it: the kiosk's staff id against the CLI's own name. */
function expectSameRow(router: RecordedRow, cli: RecordedRow, action: string): void {
  const { actor: routerActor, ...routerRow } = router;
  const { actor: cliActor, ...cliRow } = cli;
  expect(routerRow).toMatchObject({ action, station: STATION_NAME });
  expect(cliRow).toEqual(routerRow);
  expect(routerActor).toBe('1');
  expect(cliActor).toMatch(/^cli:\S+$/);
}

const base64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64');
const file = (name: string, content: Uint8Array | string): string => {
  const path = join(files, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(async () => {
  pki = await testPki();
  trustDir = writeTrustDir([pki.rootDer, pki.issuingCaDer]);
  files = mkdtempSync(join(tmpdir(), 'kortstation-entry-files-'));
  const kioskDataDir = mkdtempSync(join(tmpdir(), 'kortstation-entry-kiosk-'));
  station = await openStation({ dataDir: kioskDataDir, database: regionOf(kioskDataDir), host: 'web', trustDirs: [trustDir], allowVirtualReaders: true });
  await station.database.run('INSERT INTO setting (key, value) VALUES (?, ?)', [STATION_NAME_SETTING, STATION_NAME]);
  cliDataDir = mkdtempSync(join(tmpdir(), 'kortstation-entry-cli-'));
  const cliDatabase = await openTestRegister(cliDataDir);
  await cliDatabase.run('INSERT INTO setting (key, value) VALUES (?, ?)', [STATION_NAME_SETTING, STATION_NAME]);
  await cliDatabase.close();
});

afterAll(async () => {
  await station.close();
});

describe('the same audit row from the kiosk and from the CLI', () => {
  it('people import of 200 people, with `cli people import` as its own process', async () => {
    const csv = [TEMPLATE_HEADER, ...Array.from({ length: 200 }, (_, n) => csvLine(testPerson(n)))].join('\r\n');
    const router = await viaRouter('people.import', { fileName: 'personal.csv', contentBase64: base64(csv) });
    expect(router.ok).toBe(true);
    const cli = runCli(['people', 'import', file('personal.csv', csv), '--data', cliDataDir, '--json']);
    expect(cli.status, cli.stderr).toBe(0);
    const row = await lastCliRow();
    expectSameRow(router.row, row, 'people.imported');
    expect(row).toMatchObject({ outcome: 'ok', details: '{"created":200,"updated":0,"unchanged":0,"faultyRows":0}' });
  });

  it('people import refused for a faulty file', async () => {
    const csv = [TEMPLATE_HEADER, csvLine({ ...testPerson(500), surname: '' })].join('\r\n');
    const router = await viaRouter('people.import', { fileName: 'fel.csv', contentBase64: base64(csv) });
    expect(router.ok).toBe(false);
    expectSameRow(router.row, await viaCli(peopleCommand, ['import', file('fel.csv', csv)]), 'people.imported');
    expect(router.row).toMatchObject({ outcome: 'refused', details: '{"created":0,"updated":0,"unchanged":0,"faultyRows":1}' });
  });

  it('tokens import', async () => {
    const pskc = generatePskc({ count: 3, kind: 'totp', serialPrefix: 'EP', encryption: 'none' });
    const router = await viaRouter('tokens.import', { contentBase64: base64(pskc) });
    expect(router.ok).toBe(true);
    expectSameRow(router.row, await viaCli(tokensCommand, ['import', file('dosor.xml', pskc)]), 'token.imported');
    expect(router.row).toMatchObject({ outcome: 'ok', details: '{"count":3,"format":"pskc","unitId":null,"reference":null}' });
  });

  it('crl import, and a list not signed by a trusted CA refused', async () => {
    const spec = { thisUpdate: new Date('2026-11-01T00:00:00Z'), nextUpdate: new Date('2026-12-01T00:00:00Z'), revokedSerials: [] };
    const crl = await pki.crl(spec);
    const router = await viaRouter('crl.import', { contentBase64: base64(crl) });
    expect(router.ok).toBe(true);
    expectSameRow(router.row, await viaCli(crlCommand, ['import', file('lista.crl', crl)], { trust: trustDir }), 'crl.imported');
    expect(router.row).toMatchObject({ outcome: 'ok', subject_type: 'crl', subject_id: expect.stringContaining('CN=') });

    const forged = await pki.forgedCrl(spec);
    const refused = await viaRouter('crl.import', { contentBase64: base64(forged) });
    expect(refused.ok).toBe(false);
    expectSameRow(refused.row, await viaCli(crlCommand, ['import', file('falsk.crl', forged)], { trust: trustDir }), 'crl.imported');
    expect(refused.row).toMatchObject({ outcome: 'refused', details: '{"refusal":"crl-untrusted"}' });
  });

  it('invoices close', async () => {
    const router = await viaRouter('invoices.close', { month: '2025-01' });
    expect(router.ok).toBe(true);
    expectSameRow(router.row, await viaCli(invoicesCommand, ['close'], { month: '2025-01' }), 'invoice.month-closed');
    expect(router.row).toMatchObject({ outcome: 'ok', details: '{"month":"2025-01","charges":0,"amountOre":0}' });
  });
});

describe('reading and exporting through the router', () => {
  it('writes person.viewed before the record is returned, and refuses the view when the row cannot be written', async () => {
    const found = await station.router.call(admin, 'people.search', { query: testPerson(0).personnummer });
    const id = (found as { ok: true; value: { id: number }[] }).value[0]!.id;
    const viewed = await viaRouter('people.get', { id });
    expect(viewed.ok).toBe(true);
    expect(viewed.row).toMatchObject({ actor: '1', action: 'person.viewed', subject_type: 'person', subject_id: String(id), outcome: 'ok' });

    // a trail that takes no rows (a full disk, a locked file) stands in for any failure to record
    const db = station.database;
    const refuseRows = db.engine === 'sqlite'
      ? ["CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_entry BEGIN SELECT RAISE(ABORT, 'disk full'); END"]
      : ["CREATE FUNCTION audit_refuses() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql", 'CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_refuses()'];
    for (const statement of refuseRows) await db.run(statement);
    try {
      const refused = await station.router.call(admin, 'people.get', { id });
      expect(refused).toEqual({ ok: false, code: 'internal', message: 'Internal error' });
      expect(JSON.stringify(refused)).not.toContain(testPerson(0).surname);
      const exported = await station.router.call(admin, 'blockRequests.csv', {});
      expect(exported.ok).toBe(false);
    } finally {
      await db.run(db.engine === 'sqlite' ? 'DROP TRIGGER audit_refuses' : 'DROP TRIGGER audit_refuses ON audit_entry');
    }
  });

  it('records exports of block requests', async () => {
    const exported = await viaRouter('blockRequests.csv', { from: '2026-01-01' });
    expect(exported.ok).toBe(true);
    expect(exported.row).toMatchObject({ actor: '1', action: 'block-requests.exported', outcome: 'ok', details: '{"rows":0,"from":"2026-01-01","to":null}' });
    expectSameRow(exported.row, await viaCli(cardsCommand, ['block-requests', join(files, 'sparr.csv')], { from: '2026-01-01' }), 'block-requests.exported');
  });
});
