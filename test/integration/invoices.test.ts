import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '../../src-main/db/open';
import type { Operator } from '../../src-main/router';
import { verifyAudit } from '../../src-main/audit/audit';
import { assertMonthOpen, closeInvoiceMonth, correctCharge, exportInvoiceMonth, invoiceMonth } from '../../src-main/reports/invoices';
import { FULL_SCOPE } from '../../src-main/organisation/organisation';
import { reportLostToken } from '../../src-main/tokens/stock';
import type { TokenServiceContext } from '../../src-main/tokens/store';
import { keyFileDataKeySource } from '../../src-main/tokens/seed-crypto';
import { DATABASE_FILE } from '../../src-main/station';
import { runCli } from '../support/cli';

const opened: OpenDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
});

const operator: Operator = { id: 7, role: 'operator', unitIds: [] };
const by = (at: string) => ({ actor: '1', station: 'Test', now: new Date(at) });

async function stationWithCharges() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-invoices-'));
  const database = await openDatabase(join(dataDir, DATABASE_FILE));
  opened.push(database);
  const { sqlite } = database;
  sqlite.prepare("INSERT INTO organisation (id, name, kind) VALUES (1, 'Uppsala kommun', 'kommun')").run();
  sqlite.prepare("INSERT INTO unit (id, organisation_id, name, reference) VALUES (10, 1, 'Hemtjänst Öst', 'K4711'), (11, 1, 'Hemtjänst Väst', 'K4712'), (12, 1, 'Växeln', 'K9999')").run();
  const addPerson = sqlite.prepare("INSERT INTO person (id, first_name, surname, personnummer, search_name, search_name_reversed, search_personnummer10, created_at, updated_at) VALUES (?, ?, ?, ?, '', '', '', '', '')");
  addPerson.run(100, 'Anna', 'Berg', '198507099805');
  addPerson.run(101, 'Bo', 'Ek', '197912312383');
  sqlite.prepare('INSERT INTO person_unit (person_id, unit_id) VALUES (100, 10), (101, 11)').run();
  const addToken = sqlite.prepare(
    "INSERT INTO token (serial, kind, algorithm, digits, sealed_seed, category, state, unit_id, person_id, issued_at, imported_at, state_changed_at) VALUES (?, 'hotp', 'SHA1', 6, x'00', 'kommunal', 'issued', ?, ?, '', '', '')",
  );
  let clock = new Date();
  const context: TokenServiceContext = { sqlite, dataKey: keyFileDataKeySource(dataDir), station: () => 'Test', now: () => clock };
  const lose = (serial: string, unitId: number, personId: number, at: string, chargeTo: 'person' | 'unit') => {
    addToken.run(serial, unitId, personId);
    clock = new Date(at);
    return reportLostToken(context, operator, { serial, chargeTo }).charge;
  };
  lose('A1', 10, 100, '2026-10-05T08:00:00Z', 'person');
  lose('A2', 10, 100, '2026-10-20T08:00:00Z', 'unit');
  lose('B1', 11, 101, '2026-10-31T22:30:00Z', 'person'); // 23:30 in Stockholm: still October
  lose('B2', 11, 101, '2026-10-31T23:30:00Z', 'person'); // 1 November in Stockholm
  return { dataDir, database, sqlite, lose };
}

describe('the monthly invoice basis', () => {
  it('groups a month\'s charges per reference, none for a reference with nothing charged', async () => {
    const { sqlite } = await stationWithCharges();
    const october = invoiceMonth(sqlite, '2026-10', FULL_SCOPE, new Date('2026-11-02T08:00:00Z'));
    expect(october).toMatchObject({ month: '2026-10', closedAt: null, mayClose: true });
    expect(october.bases.map(({ reference, unit, total }) => ({ reference, unit, total }))).toEqual([
      { reference: 'K4711', unit: 'Hemtjänst Öst', total: 400 },
      { reference: 'K4712', unit: 'Hemtjänst Väst', total: 200 },
    ]);
    expect(october.bases[0]?.lines.map(({ date, kind, person, serial, amount }) => ({ date, kind, person, serial, amount }))).toEqual([
      { date: '2026-10-05', kind: 'lost-token', person: '19850709-****', serial: 'A1', amount: 200 },
      { date: '2026-10-20', kind: 'lost-token', person: null, serial: 'A2', amount: 200 },
    ]);
    expect(invoiceMonth(sqlite, '2026-11', FULL_SCOPE, new Date('2026-11-02T08:00:00Z')).bases.map((basis) => basis.reference)).toEqual(['K4712']);
    expect(invoiceMonth(sqlite, '2026-09', FULL_SCOPE, new Date('2026-11-02T08:00:00Z')).bases).toEqual([]);
    // a unit administrator sees only their units' invoices
    expect(invoiceMonth(sqlite, '2026-10', { kind: 'units', unitIds: [11] }, new Date()).bases.map((basis) => basis.reference)).toEqual(['K4712']);
  });

  it('closes a month only from its last day, then refuses every change to it, even behind the service\'s back', async () => {
    const { sqlite, lose } = await stationWithCharges();
    expect(() => closeInvoiceMonth(sqlite, '2026-11', by('2026-11-15T10:00:00Z'))).toThrow(expect.objectContaining({ code: 'invoice-month-not-ended' }));
    // the 31st in Stockholm: the last day, so October may close
    const closed = closeInvoiceMonth(sqlite, '2026-10', by('2026-10-31T10:00:00Z'));
    expect(closed).toMatchObject({ closedAt: '2026-10-31T10:00:00.000Z', closedBy: '1', mayClose: false });
    expect(() => closeInvoiceMonth(sqlite, '2026-10', by('2026-11-01T10:00:00Z'))).toThrow(expect.objectContaining({ code: 'invoice-month-closed' }));
    expect(() => assertMonthOpen(sqlite, '2026-10')).toThrow(expect.objectContaining({ code: 'invoice-month-closed' }));

    // a token lost later on the closed month's last day is charged in the next month
    expect(lose('A3', 10, 100, '2026-10-31T12:00:00Z', 'person').month).toBe('2026-11');

    expect(() => sqlite.prepare("INSERT INTO charge (at, month, kind, amount_ore) VALUES ('2026-10-10T00:00:00Z', '2026-10', 'lost-token', 100)").run()).toThrow(/invoice month closed/);
    expect(() => sqlite.prepare("UPDATE charge SET amount_ore = 0 WHERE month = '2026-10'").run()).toThrow(/invoice month closed/);
    expect(() => sqlite.prepare("UPDATE charge SET month = '2026-10' WHERE month = '2026-11'").run()).toThrow(/invoice month closed/);
    expect(() => sqlite.prepare("DELETE FROM charge WHERE month = '2026-10'").run()).toThrow(/invoice month closed/);
    expect(() => sqlite.prepare("DELETE FROM invoice_month WHERE month = '2026-10'").run()).toThrow(/invoice month closed/);
    expect(invoiceMonth(sqlite, '2026-10', FULL_SCOPE, new Date()).bases.flatMap((basis) => basis.lines)).toHaveLength(3);
    expect(verifyAudit(sqlite).ok).toBe(true);
  });

  it('corrects a closed month\'s charge with a new charge in the next open month', async () => {
    const { sqlite } = await stationWithCharges();
    closeInvoiceMonth(sqlite, '2026-10', by('2026-11-01T08:00:00Z'));
    const original = sqlite.prepare<[], { id: number }>("SELECT id FROM charge WHERE month = '2026-10' ORDER BY id LIMIT 1").get()!;
    const correction = correctCharge(sqlite, original.id, -20_000, by('2026-11-03T08:00:00Z'));
    expect(correction.month).toBe('2026-11');
    const november = invoiceMonth(sqlite, '2026-11', FULL_SCOPE, new Date('2026-11-03T08:00:00Z'));
    expect(november.bases.find((basis) => basis.reference === 'K4711')).toMatchObject({ total: -200, lines: [{ correctionOf: original.id, amount: -200, serial: 'A1', person: '19850709-****' }] });
    expect(invoiceMonth(sqlite, '2026-10', FULL_SCOPE, new Date()).bases[0]?.total).toBe(400);
    expect(() => correctCharge(sqlite, 9999, 100, by('2026-11-03T08:00:00Z'))).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('exports a month as xlsx with typed cells and as CSV for Swedish Excel', async () => {
    const { sqlite } = await stationWithCharges();
    const xlsx = await exportInvoiceMonth(sqlite, '2026-10', FULL_SCOPE, 'xlsx', by('2026-11-03T08:00:00Z'));
    expect(xlsx.fileName).toBe('fakturaunderlag-2026-10.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(xlsx.contentBase64, 'base64') as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Referens', 'Enhet', 'Datum', 'Typ', 'Person', 'Serienummer', 'Belopp (kr)', 'Rättelse av']);
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(2).getCell(1).value).toBe('K4711');
    expect(sheet.getRow(2).getCell(3).value).toEqual(new Date('2026-10-05T00:00:00Z'));
    expect(sheet.getRow(2).getCell(7).value).toBe(200);

    const csv = Buffer.from((await exportInvoiceMonth(sqlite, '2026-10', FULL_SCOPE, 'csv', by('2026-11-03T08:00:00Z'))).contentBase64, 'base64').toString('utf8');
    expect(csv.split('\r\n').slice(0, 2)).toEqual(['\uFEFFReferens;Enhet;Datum;Typ;Person;Serienummer;Belopp (kr);Rättelse av', 'K4711;Hemtjänst Öst;2026-10-05;Borttappad dosa;19850709-****;A1;200,00;']);
    // an export takes personal data off the station: each one is in the trail
    expect(sqlite.prepare("SELECT actor, details FROM audit_entry WHERE action = 'invoice.exported' ORDER BY id").all()).toEqual([
      { actor: '1', details: '{"month":"2026-10","format":"xlsx","rows":3}' },
      { actor: '1', details: '{"month":"2026-10","format":"csv","rows":3}' },
    ]);
  });
});

describe('cli invoices', () => {
  const cli = (dataDir: string, ...args: string[]) =>
    runCli(['invoices', ...args, '--data', dataDir, '--json']);

  it('prints the basis per reference and closes an ended month', async () => {
    const { dataDir, database } = await stationWithCharges();
    await database.close();
    opened.splice(opened.indexOf(database), 1);
    const shown = cli(dataDir, '--month', '2026-10');
    expect(shown.status, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual([
      {
        reference: 'K4711',
        unit: 'Hemtjänst Öst',
        lines: [
          { date: '2026-10-05', kind: 'lost-token', person: '19850709-****', serial: 'A1', amount: 200 },
          { date: '2026-10-20', kind: 'lost-token', person: null, serial: 'A2', amount: 200 },
        ],
        total: 400,
      },
      { reference: 'K4712', unit: 'Hemtjänst Väst', lines: [{ date: '2026-10-31', kind: 'lost-token', person: '19791231-****', serial: 'B1', amount: 200 }], total: 200 },
    ]);
    const closed = cli(dataDir, 'close', '--month', '2026-10');
    expect(closed.status, closed.stderr).toBe(0);
    expect(JSON.parse(closed.stdout)).toMatchObject({ month: '2026-10' });
    const again = cli(dataDir, 'close', '--month', '2026-10');
    expect(again.status).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'invoice-month-closed' } });
    expect(cli(dataDir, '--month', '2026-13').status).toBe(64);
  });
});
