import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Download, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { runCliAsync } from '../support/cli';
import { apiLogin, apiSession, firstRunByApi, logInWithPassword } from '../support/staff-session';
import { createMunicipalityUnits, createPerson, SHOWN_ID_DOCUMENT } from '../support/station-scene';
import { hotpBatch, importBatch } from '../support/token-batch';
import { shiftedClockEnv, startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

const SCREENS = 'test-results/screens';
// October is charged while it runs; on 2 November it has ended and is invoiced
const IN_OCTOBER = new Date('2026-10-20T08:00:00Z');
const AFTER_OCTOBER = new Date('2026-11-02T08:00:00Z');
const LOST_TOKEN_KRONOR = 200;
const ORDER = { quantity: 5, priceKronor: 175 };
const eastTokens = hotpBatch('OST', 1);
const westTokens = hotpBatch('VST', 1);

let host: RunningWebHost | null = null;
let adminSecret = '';

interface InvoiceMonth {
  salaryDeductions: { lines: { chargeId: number; name: string }[] };
}

/** October as a station lives it: Anna loses her token (she pays), Bo's is lost untraced (his unit pays), and K4711's order of tokens is delivered. */
async function chargeOctober(): Promise<void> {
  host = await startWebHostProcess({ startAt: IN_OCTOBER });
  const api = await apiSession(host);
  adminSecret = await firstRunByApi(api, 'Akademiska, ingång 70');
  const [east, west] = (await createMunicipalityUnits(api, [
    { name: 'Hemtjänst Öst', reference: 'K4711' },
    { name: 'Hemtjänst Väst', reference: 'K4712' },
  ])) as [number, number];
  const anna = await createPerson(api, { firstName: 'Anna', surname: 'Berg', personnummer: '198507099805', employeeNumber: 'A-1001', unitIds: [east] });
  const bo = await createPerson(api, { firstName: 'Bo', surname: 'Berg', personnummer: '197001012389', unitIds: [west] });
  await importBatch(api, eastTokens, 'K4711');
  await importBatch(api, westTokens, 'K4712');
  const [annasToken] = eastTokens.serials as [string];
  const [bosToken] = westTokens.serials as [string];
  await api('tokens.issue', { idDocument: SHOWN_ID_DOCUMENT, personId: anna, category: 'kommunal', serial: annasToken, code: eastTokens.firstCode(annasToken) });
  await api('tokens.issue', { idDocument: SHOWN_ID_DOCUMENT, personId: bo, category: 'kommunal', serial: bosToken, code: westTokens.firstCode(bosToken) });
  await api('tokens.lost', { serial: annasToken, chargeTo: 'person' });
  await api('tokens.lost', { serial: bosToken, chargeTo: 'unit' });
  const order = await api('tokens.order', { unitId: east, quantity: ORDER.quantity, priceOre: ORDER.priceKronor * 100 });
  await api('tokens.orderDelivered', { orderId: order.id });
  await host.stop();
}

test.beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  await chargeOctober();
  host = await startWebHostProcess({ dataDir: host!.dataDir, startAt: AFTER_OCTOBER });
});
test.afterAll(async () => {
  await host?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });

async function showMonth(page: Page, month: string): Promise<void> {
  await page.getByTestId('invoice-month').fill(month);
  await page.getByTestId('invoice-show').click();
}

async function download(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const started = page.waitForEvent('download');
  await page.getByTestId(button).click();
  const file: Download = await started;
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

/** The rows of the one sheet, header first, as the cells' values. */
async function xlsxRows(bytes: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const rows: unknown[][] = [];
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

test('an ended month is closed, frozen and exported: the units\' charges under their references, what Anna pays as her salary deduction', async ({ page }) => {
  const running = host!;
  await logInWithPassword(page, running, '/invoices', adminSecret);

  // November runs still: it cannot be closed
  await showMonth(page, '2026-11');
  await expect(page.getByText('Månaden kan stängas först på sista dagen.')).toBeVisible();
  await expect(page.getByTestId('invoice-none')).toBeVisible();
  await expect(page.getByTestId('invoice-close')).toHaveCount(0);

  await showMonth(page, '2026-10');
  const bases = page.getByTestId('invoice-basis');
  await expect(bases).toHaveCount(2);
  const east = bases.filter({ hasText: 'Referens K4711' });
  const west = bases.filter({ hasText: 'Referens K4712' });
  const purchase = ORDER.quantity * ORDER.priceKronor;
  await expect(east.getByRole('row', { name: /Köpt dosa/ })).toContainText('875,00 kr');
  // Anna pays for the token she lost: not on her unit's invoice, but deducted from her salary by name and employee number
  await expect(east.getByRole('row', { name: /Borttappad dosa/ })).toHaveCount(0);
  await expect(east.getByRole('row', { name: /Summa/ })).toContainText('875,00 kr');
  await expect(west.getByRole('row', { name: /Borttappad dosa/ })).toContainText('VST000001');
  await expect(west.getByRole('row', { name: /Summa/ })).toContainText('200,00 kr');
  await expect(page.getByTestId('invoice-total')).toContainText('1 075,00 kr');
  const salary = page.getByTestId('salary-deductions');
  await expect(salary.getByRole('heading', { name: 'Löneavdrag' })).toBeVisible();
  await expect(salary.getByRole('row', { name: /Borttappad dosa/ })).toContainText('Anna Berg');
  await expect(salary.getByRole('row', { name: /Borttappad dosa/ })).toContainText('A-1001');
  await expect(salary.getByRole('row', { name: /Borttappad dosa/ })).toContainText('OST000001');
  await expect(salary.getByRole('row', { name: /Summa/ })).toContainText('200,00 kr');
  await expect(page.getByText('19850709')).toHaveCount(0);
  await shot(page, 'invoice-month-open');

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('invoice-close').click();
  await expect(page.getByTestId('invoice-closed')).toContainText('Stängd');
  await expect(page.getByTestId('invoice-close')).toHaveCount(0);
  await shot(page, 'invoice-month-closed');

  const xlsx = await download(page, 'invoice-xlsx');
  expect(xlsx.name).toBe('fakturaunderlag-2026-10.xlsx');
  const sheet = await xlsxRows(xlsx.bytes);
  expect(sheet[0]).toEqual(['Avsnitt', 'Referens', 'Enhet', 'Datum', 'Typ', 'Namn', 'Anställningsnummer', 'Serienummer', 'Belopp (kr)', 'Rättelse av', 'Station']);
  const charged = sheet.slice(1).map(([section, reference, unit, date, kind, name, employeeNumber, serial, amount]) => ({
    section,
    reference: reference ?? null,
    unit,
    date: (date as Date).toISOString().slice(0, 10),
    kind,
    name: name ?? null,
    employeeNumber: employeeNumber ?? null,
    serial: serial ?? null,
    amount,
  }));
  expect(charged).toEqual(
    expect.arrayContaining([
      { section: 'Faktura', reference: 'K4711', unit: 'Hemtjänst Öst', date: '2026-10-20', kind: 'Köpt dosa', name: null, employeeNumber: null, serial: null, amount: purchase },
      { section: 'Faktura', reference: 'K4712', unit: 'Hemtjänst Väst', date: '2026-10-20', kind: 'Borttappad dosa', name: null, employeeNumber: null, serial: 'VST000001', amount: LOST_TOKEN_KRONOR },
      { section: 'Löneavdrag', reference: null, unit: 'Hemtjänst Öst', date: '2026-10-20', kind: 'Borttappad dosa', name: 'Anna Berg', employeeNumber: 'A-1001', serial: 'OST000001', amount: LOST_TOKEN_KRONOR },
    ]),
  );
  expect(charged).toHaveLength(3);

  const csv = await download(page, 'invoice-csv');
  expect(csv.name).toBe('fakturaunderlag-2026-10.csv');
  const lines = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  expect(lines[0]).toBe('Avsnitt;Referens;Enhet;Datum;Typ;Namn;Anställningsnummer;Serienummer;Belopp (kr);Rättelse av;Station');
  expect(lines.slice(1).sort()).toEqual(
    [
      // every charge names the station that made it: the one set up at first run
      'Faktura;K4711;Hemtjänst Öst;2026-10-20;Köpt dosa;;;;875,00;;Akademiska, ingång 70',
      'Faktura;K4712;Hemtjänst Väst;2026-10-20;Borttappad dosa;;;VST000001;200,00;;Akademiska, ingång 70',
      'Löneavdrag;;Hemtjänst Öst;2026-10-20;Borttappad dosa;Anna Berg;A-1001;OST000001;200,00;;Akademiska, ingång 70',
    ].sort(),
  );

  // the closed month does not change: a correction of Anna's charge lands in November
  const api = await apiLogin(running, adminSecret);
  const october = await api<InvoiceMonth>('invoices.month', { month: '2026-10' });
  const annasChargeId = october.salaryDeductions.lines.find((line) => line.name === 'Anna Berg')!.chargeId;
  const correction = await runCliAsync(['invoices', 'correct', '--charge', String(annasChargeId), '--amount=-200', '--data', running.dataDir, '--json'], { env: shiftedClockEnv(running.now()) });
  expect(correction.status, correction.stderr).toBe(0);
  expect(JSON.parse(correction.stdout)).toMatchObject({ month: '2026-11' });
  await expect(api('invoices.close', { month: '2026-10' })).rejects.toThrow('invoice-month-closed');

  await showMonth(page, '2026-10');
  await expect(page.getByTestId('invoice-closed')).toBeVisible();
  await expect(page.getByTestId('invoice-total')).toContainText('1 075,00 kr');
  await showMonth(page, '2026-11');
  // the correction of Anna's own charge is hers too: a salary deduction, no unit invoice
  await expect(page.getByTestId('invoice-basis')).toHaveCount(0);
  await expect(page.getByTestId('salary-deductions').getByRole('row', { name: /Rättelse av nr/ })).toContainText(`Rättelse av nr ${annasChargeId}`);
  await expect(page.getByTestId('salary-deductions').getByRole('row', { name: /Summa/ })).toContainText('−200,00 kr');
  await shot(page, 'invoice-correction-next-month');
});
