import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReportName } from '@shared/contract';
import type { OpenRegister } from '../../src-main/db/open';
import { FULL_SCOPE, type UnitScope } from '../../src-main/organisation/organisation';
import { exportReport, runReport } from '../../src-main/reports/reports';
import { openTestRegister } from '../support/register';

const opened: OpenRegister[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
});

const now = new Date('2026-11-23T10:00:00Z');

async function stationWithHistory() {
  const database = await openTestRegister(mkdtempSync(join(tmpdir(), 'kortstation-reports-')));
  opened.push(database);
  const seed = [
    `INSERT INTO organisation (id, name, kind) VALUES (1, 'Region Uppsala', 'region')`,
    `INSERT INTO unit (id, organisation_id, name, reference) VALUES (10, 1, 'Akuten', 'R100'), (11, 1, 'Röntgen', 'R200')`,
    `INSERT INTO station (id, name, site, address) VALUES (1, 'Akademiska', 'Ing 70', 'Sjukhusvägen 1'), (2, 'Enköping', 'Hus 1', 'Kungsgatan 1')`,
    `INSERT INTO staff_account (id, username, display_name, role, created_at, updated_at) VALUES (5, 'eva', 'Eva Ek', 'operator', '', '')`,
    `INSERT INTO person (id, first_name, surname, personnummer, email, employment_end, search_name, search_name_reversed, search_personnummer10, created_at, updated_at) VALUES
      (100, 'Anna', 'Berg', '198507099805', 'anna@example.se', '2026-12-10', '', '', '', '', ''),
      (101, 'Bo', 'Ek', '197912312383', NULL, '2026-11-01', '', '', '', '', ''),
      (102, 'Cia', 'Ahl', '199001012380', NULL, '2027-06-30', '', '', '', '', ''),
      (103, 'Dan', 'Ås', '198001012383', NULL, '2026-11-20', '', '', '', '', '')`,
    `INSERT INTO person_unit (person_id, unit_id) VALUES (100, 10), (101, 11), (102, 10), (103, 10)`,
    `INSERT INTO card_order (id, person_id, order_date, order_reference, state, card_number, photo_station_id, certificates_not_after, created_at, updated_at) VALUES
      (1, 100, '2026-09-01', 'B1', 'handed-over', 'C100', 1, '2027-01-15T12:00:00Z', '', ''),
      (2, 101, '2026-09-01', 'B2', 'returned', 'C101', 2, '2027-01-10T12:00:00Z', '', ''),
      (3, 102, '2026-09-01', 'B3', 'handed-over', 'C102', 1, '2029-01-01T12:00:00Z', '', ''),
      (4, 102, '2026-09-01', 'B4', 'blocked', 'C103', 1, NULL, '', '')`,
    `INSERT INTO card_event (order_id, at, action, station, actor, details) VALUES
      (1, '2026-10-02T09:00:00Z', 'hand-over', 'Akademiska', '5', '{}'),
      (2, '2026-10-05T09:00:00Z', 'hand-over', 'Enköping', '5', '{}'),
      (3, '2026-11-02T09:00:00Z', 'hand-over', 'Akademiska', '5', '{}'),
      (2, '2026-11-03T09:00:00Z', 'return', 'Enköping', '5', '{"reason":"employment-ended","cutInTwo":true}')`,
    `INSERT INTO block_request (order_id, card_number, reason, reported_by, note, at, station, staff, keep_until, state) VALUES
      (4, 'C103', 'stolen', 'Cia Ahl', NULL, '2026-11-04T09:00:00Z', 'Akademiska', '5', '2036-11-04', 'requested')`,
    `INSERT INTO token (id, serial, kind, algorithm, digits, sealed_seed, category, state, unit_id, station_id, person_id, issued_at, imported_at, state_changed_at) VALUES
      (1, 'T1', 'hotp', 'SHA1', 6, ?, 'kommunal', 'issued', 10, 1, 101, '', '', ''),
      (2, 'T2', 'hotp', 'SHA1', 6, ?, NULL, 'in-stock', 10, 1, NULL, NULL, '', ''),
      (3, 'T3', 'hotp', 'SHA1', 6, ?, NULL, 'in-stock', 11, 2, NULL, NULL, '', ''),
      (4, 'T4', 'hotp', 'SHA1', 6, ?, NULL, 'lost', 11, 2, NULL, NULL, '', '')`,
    `INSERT INTO token_event (token_id, at, action, person_id, actor) VALUES
      (1, '2026-10-01T08:00:00Z', 'token.issued', 101, '5'),
      (1, '2026-10-02T08:00:00Z', 'token.checked', 101, '5'),
      (4, '2026-10-03T08:00:00Z', 'token.issued', 103, '5'),
      (4, '2026-11-03T08:00:00Z', 'token.lost', 103, '5')`,
  ];
  // one statement a call: PostgreSQL's extended protocol runs one at a time
  for (const statement of seed) await database.run(statement, statement.startsWith('INSERT INTO token ') ? Array.from({ length: 4 }, () => Buffer.from([0])) : []);
  return database;
}

const column = async (db: OpenRegister, report: ReportName, key: string, filters = {}, scope: UnitScope = FULL_SCOPE) =>
  (await runReport(db, { report, filters, limit: 500, offset: 0 }, scope, now)).rows.map((row) => row[key]);

describe('reports', () => {
  it('lists handovers, newest first, filtered by date, station and unit, with masked personal numbers', async () => {
    const db = await stationWithHistory();
    const page = await runReport(db, { report: 'handovers', filters: {}, limit: 2, offset: 0 }, FULL_SCOPE, now);
    expect(page.total).toBe(3);
    expect(page.rows[0]).toEqual({ at: '2026-11-02T09:00:00Z', name: 'Cia Ahl', personnummer: '19900101-****', cardNumber: 'C102', station: 'Akademiska', staff: 'Eva Ek' });
    expect(page.columns.map((c) => c.key)).toEqual(['at', 'name', 'personnummer', 'cardNumber', 'station', 'staff']);
    expect(await column(db, 'handovers', 'cardNumber', { from: '2026-10-01', to: '2026-10-31' })).toEqual(['C101', 'C100']);
    expect(await column(db, 'handovers', 'cardNumber', { stationId: 2 })).toEqual(['C101']);
    expect(await column(db, 'handovers', 'cardNumber', { unitId: 10 })).toEqual(['C102', 'C100']);
    // a unit administrator sees only their units' people
    expect(await column(db, 'handovers', 'cardNumber', {}, { kind: 'units', unitIds: [11] })).toEqual(['C101']);
  });

  it('sorts and pages', async () => {
    const db = await stationWithHistory();
    const sorted = async (direction: 'asc' | 'desc', offset: number) => (await runReport(db, { report: 'handovers', filters: {}, sort: { key: 'name', direction }, limit: 2, offset }, FULL_SCOPE, now)).rows.map((row) => row.name);
    expect(await sorted('asc', 0)).toEqual(['Anna Berg', 'Bo Ek']);
    expect(await sorted('asc', 2)).toEqual(['Cia Ahl']);
    expect(await sorted('desc', 0)).toEqual(['Cia Ahl', 'Bo Ek']);
  });

  it('lists returns with their reason, block requests and token events by kind', async () => {
    const db = await stationWithHistory();
    expect(await column(db, 'returns', 'reason')).toEqual(['employment-ended']);
    expect(await column(db, 'returns', 'reason', { status: 'broken' })).toEqual([]);
    expect(await column(db, 'block-requests', 'reason')).toEqual(['stolen']);
    expect(await column(db, 'token-events', 'event')).toEqual(['lost', 'issued', 'issued']);
    expect(await column(db, 'token-events', 'serial', { kind: 'lost' })).toEqual(['T4']);
    expect(await column(db, 'token-events', 'serial', {}, { kind: 'units', unitIds: [10] })).toEqual(['T1']);
  });

  it('counts stock per unit, station and state', async () => {
    const db = await stationWithHistory();
    expect((await runReport(db, { report: 'stock', filters: {}, limit: 50, offset: 0 }, FULL_SCOPE, now)).rows).toEqual([
      { unit: 'Akuten', reference: 'R100', station: 'Akademiska', state: 'in-stock', count: 1 },
      { unit: 'Akuten', reference: 'R100', station: 'Akademiska', state: 'issued', count: 1 },
      { unit: 'Röntgen', reference: 'R200', station: 'Enköping', state: 'in-stock', count: 1 },
      { unit: 'Röntgen', reference: 'R200', station: 'Enköping', state: 'lost', count: 1 },
    ]);
    expect(await column(db, 'stock', 'unit', { status: 'in-stock', stationId: 2 })).toEqual(['Röntgen']);
  });

  it('follows up certificates expiring within 90 days and people leaving with a card or token', async () => {
    const db = await stationWithHistory();
    // only the handed-over card: the returned one expires too but is no longer out
    expect((await runReport(db, { report: 'certificates-expiring', filters: {}, limit: 50, offset: 0 }, FULL_SCOPE, now)).rows).toEqual([
      { notAfter: '2027-01-15', daysLeft: 53, name: 'Anna Berg', personnummer: '19850709-****', cardNumber: 'C100', email: 'anna@example.se' },
    ]);
    // Anna ends within 30 days holding a card; Bo has ended holding a token; Dan ended but holds nothing; Cia ends later
    expect((await runReport(db, { report: 'employment-ending', filters: {}, limit: 50, offset: 0 }, FULL_SCOPE, now)).rows).toEqual([
      { employmentEnd: '2026-11-01', name: 'Bo Ek', personnummer: '19791231-****', units: 'Röntgen', cards: 0, tokens: 1, email: null },
      { employmentEnd: '2026-12-10', name: 'Anna Berg', personnummer: '19850709-****', units: 'Akuten', cards: 1, tokens: 0, email: 'anna@example.se' },
    ]);
  });

  it('sums each month\'s events for the overview, within the caller\'s units', async () => {
    const db = await stationWithHistory();
    expect((await runReport(db, { report: 'monthly', filters: {}, limit: 50, offset: 0 }, FULL_SCOPE, now)).rows).toEqual([
      { month: '2026-11', handovers: 1, returns: 1, blocks: 1, tokensIssued: 0, tokensLost: 1 },
      { month: '2026-10', handovers: 2, returns: 0, blocks: 0, tokensIssued: 2, tokensLost: 0 },
    ]);
    expect((await runReport(db, { report: 'monthly', filters: { unitId: 10 }, limit: 50, offset: 0 }, { kind: 'units', unitIds: [10] }, now)).rows).toEqual([
      { month: '2026-11', handovers: 1, returns: 0, blocks: 1, tokensIssued: 0, tokensLost: 0 },
      { month: '2026-10', handovers: 1, returns: 0, blocks: 0, tokensIssued: 1, tokensLost: 0 },
    ]);
  });

  it('exports every row to xlsx with typed cells and to CSV', async () => {
    const db = await stationWithHistory();
    const by = { actor: '1', station: 'Akademiska', now };
    const file = await exportReport(db, { report: 'stock', filters: {}, format: 'xlsx' }, FULL_SCOPE, by);
    expect(file.fileName).toBe('stock-2026-11-23.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(file.contentBase64, 'base64') as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Enhet', 'Referens', 'Station', 'Status', 'Antal']);
    expect(sheet.getRow(2).getCell(5).value).toBe(1);
    const handovers = await exportReport(db, { report: 'handovers', filters: {}, format: 'xlsx' }, FULL_SCOPE, by);
    await workbook.xlsx.load(Buffer.from(handovers.contentBase64, 'base64') as unknown as ExcelJS.Buffer);
    // 09:00 UTC is 10:00 in Stockholm in November
    expect(workbook.worksheets.at(-1)!.getRow(2).getCell(1).value).toEqual(new Date('2026-11-02T10:00:00Z'));
    const csv = Buffer.from((await exportReport(db, { report: 'handovers', filters: {}, format: 'csv' }, FULL_SCOPE, by)).contentBase64, 'base64').toString('utf8');
    expect(csv.split('\r\n').slice(0, 2)).toEqual(['\uFEFFTid;Namn;Personnummer;Kortnummer;Station;Personal', '2026-11-02 10:00;Cia Ahl;19900101-****;C102;Akademiska;Eva Ek']);
    // each export is in the trail, with what was exported and how many rows left the station
    expect(await db.all("SELECT actor, details FROM audit_entry WHERE action = 'report.exported' ORDER BY id")).toEqual([
      { actor: '1', details: `{"report":"stock","format":"xlsx","rows":${sheet.rowCount - 1},"filters":{}}` },
      { actor: '1', details: expect.stringMatching(/^\{"report":"handovers","format":"xlsx","rows":\d+,"filters":\{\}\}$/) },
      { actor: '1', details: expect.stringMatching(/^\{"report":"handovers","format":"csv","rows":\d+,"filters":\{\}\}$/) },
    ]);
  });
});
