import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenRegister } from '../../src-main/db/open';
import type { Operator } from '../../src-main/router';
import { verifyAudit } from '../../src-main/audit/verify';
import { assertMonthOpen, closeInvoiceMonth, correctCharge, exportInvoiceMonth, invoiceMonth } from '../../src-main/reports/invoices';
import { FULL_SCOPE } from '../../src-main/organisation/organisation';
import { reportLostToken } from '../../src-main/tokens/stock';
import type { TokenServiceContext } from '../../src-main/tokens/store';
import { keyFileDataKeySource } from '../../src-main/tokens/seed-crypto';
import { runCli } from '../support/cli';
import { openTestRegister } from '../support/register';
import { registerEnv } from '../support/register-location';

const opened: OpenRegister[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
});

const operator: Operator = { id: 7, role: 'operator', unitIds: [] };
const by = (at: string) => ({ actor: '1', station: 'Test', now: new Date(at) });

async function stationWithCharges() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-invoices-'));
  const db = await openTestRegister(dataDir);
  opened.push(db);
  await db.run("INSERT INTO organisation (id, name, kind) VALUES (1, 'Uppsala kommun', 'kommun')");
  await db.run("INSERT INTO unit (id, organisation_id, name, reference) VALUES (10, 1, 'Hemtjänst Öst', 'K4711'), (11, 1, 'Hemtjänst Väst', 'K4712'), (12, 1, 'Växeln', 'K9999')");
  const addPerson = (id: number, firstName: string, surname: string, personnummer: string) =>
    db.run("INSERT INTO person (id, first_name, surname, personnummer, search_name, search_name_reversed, search_personnummer10, created_at, updated_at) VALUES (?, ?, ?, ?, '', '', '', '', '')", [id, firstName, surname, personnummer]);
  await addPerson(100, 'Anna', 'Berg', '198507099805');
  await addPerson(101, 'Bo', 'Ek', '197912312383');
  await db.run('INSERT INTO person_unit (person_id, unit_id) VALUES (100, 10), (101, 11)');
  // Anna's employee number is in the register; Bo's is not yet
  await db.run("UPDATE person SET employee_number = 'A-1001' WHERE id = 100");
  const addToken = (serial: string, unitId: number, personId: number) =>
    db.run(
      "INSERT INTO token (serial, kind, algorithm, digits, sealed_seed, category, state, unit_id, person_id, issued_at, imported_at, state_changed_at) VALUES (?, 'hotp', 'SHA1', 6, ?, 'kommunal', 'issued', ?, ?, '', '', '')",
      [serial, Buffer.from([0]), unitId, personId],
    );
  let clock = new Date();
  const context: TokenServiceContext = { db, dataKey: keyFileDataKeySource(dataDir), station: () => Promise.resolve('Test'), now: () => clock };
  const lose = async (serial: string, unitId: number, personId: number, at: string, chargeTo: 'person' | 'unit') => {
    await addToken(serial, unitId, personId);
    clock = new Date(at);
    return (await reportLostToken(context, operator, { serial, chargeTo })).charge;
  };
  await lose('A1', 10, 100, '2026-10-05T08:00:00Z', 'person');
  await lose('A2', 10, 100, '2026-10-20T08:00:00Z', 'unit');
  await lose('B1', 11, 101, '2026-10-31T22:30:00Z', 'person'); // 23:30 in Stockholm: still October
  await lose('B2', 11, 101, '2026-10-31T23:30:00Z', 'person'); // 1 November in Stockholm
  return { dataDir, db, lose };
}

describe('the monthly invoice basis', () => {
  it('invoices per reference what the units pay, and lists what people pay apart as salary deductions by name and employee number', async () => {
    const { db } = await stationWithCharges();
    const october = await invoiceMonth(db, '2026-10', FULL_SCOPE, new Date('2026-11-02T08:00:00Z'));
    expect(october).toMatchObject({ month: '2026-10', closedAt: null, mayClose: true });
    // K4712's only October charge is Bo's own: the unit gets no invoice for it
    expect(october.bases.map(({ reference, unit, total }) => ({ reference, unit, total }))).toEqual([{ reference: 'K4711', unit: 'Hemtjänst Öst', total: 200 }]);
    expect(october.bases[0]?.lines.map(({ date, kind, serial, amount }) => ({ date, kind, serial, amount }))).toEqual([{ date: '2026-10-20', kind: 'lost-token', serial: 'A2', amount: 200 }]);
    expect(october.salaryDeductions.total).toBe(400);
    expect(october.salaryDeductions.lines.map(({ date, kind, name, employeeNumber, unit, serial, amount }) => ({ date, kind, name, employeeNumber, unit, serial, amount }))).toEqual([
      { date: '2026-10-05', kind: 'lost-token', name: 'Anna Berg', employeeNumber: 'A-1001', unit: 'Hemtjänst Öst', serial: 'A1', amount: 200 },
      { date: '2026-10-31', kind: 'lost-token', name: 'Bo Ek', employeeNumber: null, unit: 'Hemtjänst Väst', serial: 'B1', amount: 200 },
    ]);
    // no personnummer, masked or not, anywhere in the month's basis
    expect(JSON.stringify(october)).not.toMatch(/19850709|19791231/);
    const november = await invoiceMonth(db, '2026-11', FULL_SCOPE, new Date('2026-11-02T08:00:00Z'));
    expect(november.bases).toEqual([]);
    expect(november.salaryDeductions.lines.map((line) => line.serial)).toEqual(['B2']);
    expect((await invoiceMonth(db, '2026-09', FULL_SCOPE, new Date('2026-11-02T08:00:00Z')))).toMatchObject({ bases: [], salaryDeductions: { lines: [], total: 0 } });
    // a unit administrator sees only their units' invoices and people
    const west = await invoiceMonth(db, '2026-10', { kind: 'units', unitIds: [11] }, new Date());
    expect(west.bases).toEqual([]);
    expect(west.salaryDeductions.lines.map((line) => line.name)).toEqual(['Bo Ek']);
  });

  it('closes a month only from its last day, then refuses every change to it, even behind the service\'s back', async () => {
    const { db, lose } = await stationWithCharges();
    await expect(closeInvoiceMonth(db, '2026-11', by('2026-11-15T10:00:00Z'))).rejects.toThrow(expect.objectContaining({ code: 'invoice-month-not-ended' }));
    // the 31st in Stockholm: the last day, so October may close
    const closed = await closeInvoiceMonth(db, '2026-10', by('2026-10-31T10:00:00Z'));
    expect(closed).toMatchObject({ closedAt: '2026-10-31T10:00:00.000Z', closedBy: '1', mayClose: false });
    await expect(closeInvoiceMonth(db, '2026-10', by('2026-11-01T10:00:00Z'))).rejects.toThrow(expect.objectContaining({ code: 'invoice-month-closed' }));
    await expect(assertMonthOpen(db, '2026-10')).rejects.toThrow(expect.objectContaining({ code: 'invoice-month-closed' }));

    // a token lost later on the closed month's last day is charged in the next month
    expect((await lose('A3', 10, 100, '2026-10-31T12:00:00Z', 'person')).month).toBe('2026-11');

    await expect(db.run("INSERT INTO charge (at, month, kind, amount_ore) VALUES ('2026-10-10T00:00:00Z', '2026-10', 'lost-token', 100)")).rejects.toThrow(/invoice month closed/);
    await expect(db.run("UPDATE charge SET amount_ore = 0 WHERE month = '2026-10'")).rejects.toThrow(/invoice month closed/);
    await expect(db.run("UPDATE charge SET month = '2026-10' WHERE month = '2026-11'")).rejects.toThrow(/invoice month closed/);
    await expect(db.run("DELETE FROM charge WHERE month = '2026-10'")).rejects.toThrow(/invoice month closed/);
    await expect(db.run("DELETE FROM invoice_month WHERE month = '2026-10'")).rejects.toThrow(/invoice month closed/);
    const frozen = await invoiceMonth(db, '2026-10', FULL_SCOPE, new Date());
    expect(frozen.bases.flatMap((basis) => basis.lines).length + frozen.salaryDeductions.lines.length).toBe(3);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('corrects a closed month\'s charge with a new charge in the next open month', async () => {
    const { db } = await stationWithCharges();
    await closeInvoiceMonth(db, '2026-10', by('2026-11-01T08:00:00Z'));
    const original = (await db.one<{ id: number }>("SELECT id FROM charge WHERE month = '2026-10' ORDER BY id LIMIT 1"))!;
    const correction = await correctCharge(db, original.id, -20_000, by('2026-11-03T08:00:00Z'));
    expect(correction.month).toBe('2026-11');
    const november = await invoiceMonth(db, '2026-11', FULL_SCOPE, new Date('2026-11-03T08:00:00Z'));
    // the original was Anna's own charge: its correction is a salary deduction too
    expect(november.salaryDeductions.lines.find((line) => line.correctionOf === original.id)).toMatchObject({ amount: -200, serial: 'A1', name: 'Anna Berg', employeeNumber: 'A-1001' });
    expect((await invoiceMonth(db, '2026-10', FULL_SCOPE, new Date())).salaryDeductions.total).toBe(400);
    await expect(correctCharge(db, 9999, 100, by('2026-11-03T08:00:00Z'))).rejects.toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('exports a month as xlsx with typed cells and as CSV for Swedish Excel', async () => {
    const { db } = await stationWithCharges();
    const xlsx = await exportInvoiceMonth(db, '2026-10', FULL_SCOPE, 'xlsx', by('2026-11-03T08:00:00Z'));
    expect(xlsx.fileName).toBe('fakturaunderlag-2026-10.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(xlsx.contentBase64, 'base64') as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Avsnitt', 'Referens', 'Enhet', 'Datum', 'Typ', 'Namn', 'Anställningsnummer', 'Serienummer', 'Belopp (kr)', 'Rättelse av', 'Station']);
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(2).getCell(1).value).toBe('Faktura');
    expect(sheet.getRow(2).getCell(2).value).toBe('K4711');
    expect(sheet.getRow(2).getCell(4).value).toEqual(new Date('2026-10-20T00:00:00Z'));
    expect(sheet.getRow(2).getCell(9).value).toBe(200);
    expect(sheet.getRow(3).getCell(1).value).toBe('Löneavdrag');

    const csv = Buffer.from((await exportInvoiceMonth(db, '2026-10', FULL_SCOPE, 'csv', by('2026-11-03T08:00:00Z'))).contentBase64, 'base64').toString('utf8');
    // a salary deduction row carries no reference: no invoicing system can bill the unit for it
    expect(csv.split('\r\n').slice(0, 4)).toEqual([
      '\uFEFFAvsnitt;Referens;Enhet;Datum;Typ;Namn;Anställningsnummer;Serienummer;Belopp (kr);Rättelse av;Station',
      'Faktura;K4711;Hemtjänst Öst;2026-10-20;Borttappad dosa;;;A2;200,00;;Test',
      'Löneavdrag;;Hemtjänst Öst;2026-10-05;Borttappad dosa;Anna Berg;A-1001;A1;200,00;;Test',
      'Löneavdrag;;Hemtjänst Väst;2026-10-31;Borttappad dosa;Bo Ek;;B1;200,00;;Test',
    ]);
    // an export takes personal data off the station: each one is in the trail
    expect(await db.all("SELECT actor, details FROM audit_entry WHERE action = 'invoice.exported' ORDER BY id")).toEqual([
      { actor: '1', details: '{"month":"2026-10","format":"xlsx","rows":3}' },
      { actor: '1', details: '{"month":"2026-10","format":"csv","rows":3}' },
    ]);
  });
});

describe('cli invoices', () => {
  const cli = (dataDir: string, ...args: string[]) =>
    runCli(['invoices', ...args, '--data', dataDir, '--json'], { env: { ...process.env, ...registerEnv(dataDir) } });

  it('prints the basis per reference and closes an ended month', async () => {
    const { dataDir, db } = await stationWithCharges();
    await db.close();
    opened.splice(opened.indexOf(db), 1);
    const shown = cli(dataDir, '--month', '2026-10');
    expect(shown.status, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual({
      bases: [{ reference: 'K4711', unit: 'Hemtjänst Öst', lines: [{ date: '2026-10-20', kind: 'lost-token', serial: 'A2', amount: 200 }], total: 200 }],
      salaryDeductions: {
        lines: [
          { date: '2026-10-05', kind: 'lost-token', name: 'Anna Berg', employeeNumber: 'A-1001', serial: 'A1', amount: 200 },
          { date: '2026-10-31', kind: 'lost-token', name: 'Bo Ek', employeeNumber: null, serial: 'B1', amount: 200 },
        ],
        total: 400,
      },
    });
    const text = runCli(['invoices', '--month', '2026-10', '--data', dataDir], { env: { ...process.env, ...registerEnv(dataDir) } });
    expect(text.stdout).toContain('Löneavdrag (salary deduction): 400.00 kr');
    expect(text.stdout).toContain('Anna Berg A-1001 A1 200.00');
    const closed = cli(dataDir, 'close', '--month', '2026-10');
    expect(closed.status, closed.stderr).toBe(0);
    expect(JSON.parse(closed.stdout)).toMatchObject({ month: '2026-10' });
    const again = cli(dataDir, 'close', '--month', '2026-10');
    expect(again.status).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'invoice-month-closed' } });
    expect(cli(dataDir, '--month', '2026-13').status).toBe(64);
  });
});
