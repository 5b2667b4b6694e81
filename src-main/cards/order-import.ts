// Card orders from a file (.xlsx or .csv: personnummer, order date, order reference), imported all or nothing.
import { NO_PROGRESS, type WorkProgress } from '../work/jobs';
import type ExcelJS from 'exceljs';
import type { OrderImportError, OrderImportReport } from '@shared/contract';
import { parsePersonalNumber } from '@shared/domain/personnummer';
import { appendAudit } from '../audit/audit';
import type { Db } from '../db/data-layer';
import type { Caller } from './lifecycle';
import { createCardStore } from './store';
import { decodeText, MAX_IMPORT_ROWS, parseCsv } from '../people/import';
import { parseIsoDate, searchKey } from '../people/person-fields';
import { xlsxWithinLimits } from '../spreadsheets/xlsx-archive';
import { loadExcelJs } from '../spreadsheets/exceljs-loader';

type Column = 'personnummer' | 'orderDate' | 'orderReference';
const HEADERS: Record<string, Column> = {
  personnummer: 'personnummer',
  samordningsnummer: 'personnummer',
  beställningsdatum: 'orderDate',
  bestallningsdatum: 'orderDate',
  orderdatum: 'orderDate',
  'order date': 'orderDate',
  beställningsreferens: 'orderReference',
  bestallningsreferens: 'orderReference',
  orderreferens: 'orderReference',
  referens: 'orderReference',
  'order reference': 'orderReference',
};
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

interface Table {
  line: number;
  cells: string[];
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result as ExcelJS.CellValue);
  return '';
}

async function readTable(bytes: Uint8Array, fileName: string): Promise<Table[] | 'unreadable' | 'too-large-or-damaged'> {
  if (!ZIP_SIGNATURE.every((byte, index) => bytes[index] === byte)) return /\.xlsx$/i.test(fileName) ? 'unreadable' : parseCsv(decodeText(bytes));
  if (!(await xlsxWithinLimits(bytes))) return 'too-large-or-damaged';
  const workbook = new (await loadExcelJs()).Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    return 'unreadable';
  }
  const rows: Table[] = [];
  workbook.worksheets[0]?.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column++) cells.push(cellText(row.getCell(column).value));
    rows.push({ line: row.number, cells });
  });
  return rows;
}

interface OrderRowInput {
  line: number;
  personId: number;
  orderDate: string;
  orderReference: string;
}

// three writes per order: a report every hundred orders keeps the window informed without slowing the transaction
const ORDERS_PER_REPORT = 100;

/** Checks every row; nothing is written unless every row is right, and nothing when `progress` reports a cancel. */
export async function importCardOrders(db: Db, bytes: Uint8Array, fileName: string, caller: Caller, now = new Date(), progress: WorkProgress = NO_PROGRESS): Promise<OrderImportReport> {
  const table = await readTable(bytes, fileName);
  if (typeof table === 'string') return { created: 0, errors: [{ line: 0, field: 'file', code: table }] };
  const [header, ...body] = table.filter((row) => row.cells.some((cell) => cell.trim() !== ''));
  if (!header) return { created: 0, errors: [{ line: 1, field: 'file', code: 'empty' }] };
  if (body.length > MAX_IMPORT_ROWS) return { created: 0, errors: [{ line: 0, field: 'file', code: 'too-many-rows' }] };
  const columns = new Map<Column, number>();
  header.cells.forEach((cell, index) => {
    const column = HEADERS[searchKey(cell.replace(/^\uFEFF/, ''))];
    if (column && !columns.has(column)) columns.set(column, index);
  });
  const missing = (['personnummer', 'orderDate', 'orderReference'] as const).filter((column) => !columns.has(column));
  if (missing.length > 0) return { created: 0, errors: missing.map((field) => ({ line: header.line, field, code: 'missing-column' })) };

  const store = createCardStore(db);
  const personByNumber = (personnummer: string) => db.value<number>('SELECT id FROM person WHERE personnummer = ?', [personnummer]);
  const existing = async (personId: number, orderReference: string) => (await db.one('SELECT 1 AS found FROM card_order WHERE person_id = ? AND order_reference = ?', [personId, orderReference])) !== undefined;
  const errors: OrderImportError[] = [];
  const orders: OrderRowInput[] = [];
  const seen = new Set<string>();
  for (const { line, cells } of body) {
    const cell = (column: Column): string => (cells[columns.get(column)!] ?? '').trim();
    const rowErrors: OrderImportError[] = [];
    const number = parsePersonalNumber(cell('personnummer'), now);
    const personId = number.ok ? await personByNumber(number.normalized12) : undefined;
    if (!cell('personnummer')) rowErrors.push({ line, field: 'personnummer', code: 'missing' });
    else if (!number.ok) rowErrors.push({ line, field: 'personnummer', code: 'format' });
    else if (personId === undefined) rowErrors.push({ line, field: 'personnummer', code: 'unknown-person' });
    else if (!(await store.personVisible(personId, caller.scope))) rowErrors.push({ line, field: 'personnummer', code: 'forbidden' });
    const date = parseIsoDate(cell('orderDate'));
    if (!cell('orderDate')) rowErrors.push({ line, field: 'orderDate', code: 'missing' });
    else if (!date.ok) rowErrors.push({ line, field: 'orderDate', code: 'format' });
    const orderReference = cell('orderReference');
    if (!orderReference) rowErrors.push({ line, field: 'orderReference', code: 'missing' });
    else if (orderReference.length > 100) rowErrors.push({ line, field: 'orderReference', code: 'format' });
    if (rowErrors.length > 0 || personId === undefined || !date.ok || date.value === null) {
      errors.push(...rowErrors);
      continue;
    }
    const key = `${personId}\u0000${orderReference}`;
    if (seen.has(key) || (await existing(personId, orderReference))) errors.push({ line, field: 'orderReference', code: 'duplicate' });
    seen.add(key);
    orders.push({ line, personId, orderDate: date.value, orderReference });
  }
  if (errors.length > 0) return { created: 0, errors };

  const at = now.toISOString();
  const station = await store.stationName();
  await db.transaction(async () => {
    await progress.step(0, orders.length);
    for (const [index, order] of orders.entries()) {
      const orderId = await store.insertOrder({ personId: order.personId, orderDate: order.orderDate, orderReference: order.orderReference, replacesOrderId: null, at });
      const details = { orderDate: order.orderDate, orderReference: order.orderReference, imported: fileName };
      await store.addEvent({ orderId, at, action: 'order', station, actor: caller.actor, details });
      await appendAudit(db, { station, actor: caller.actor, action: 'card.ordered', subjectType: 'card', subjectId: String(orderId), outcome: 'ok', details: { personId: order.personId, ...details }, at: now });
      if ((index + 1) % ORDERS_PER_REPORT === 0 || index + 1 === orders.length) await progress.step(index + 1, orders.length);
    }
  });
  return { created: orders.length, errors: [] };
}

