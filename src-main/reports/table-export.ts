// One table, two files: .xlsx with typed cells and .csv the way Swedish Excel opens it (semicolon, BOM, decimal comma).
import { NO_PROGRESS, type WorkProgress } from '../work/jobs';
import type { ColumnType, ExportedFile, TableColumn, TableRow, TableValue } from '@shared/contract';
import { INVOICE_TIME_ZONE } from '@shared/domain/token-charges';
import { loadExcelJs } from '../spreadsheets/exceljs-loader';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_MIME = 'text/csv;charset=utf-8';

const wallClock = new Intl.DateTimeFormat('sv-SE', {
  timeZone: INVOICE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** 'YYYY-MM-DD HH:MM' in Swedish time: Excel cells and CSV fields carry no time zone. */
export function swedishDateTime(iso: string): string {
  return wallClock.format(new Date(iso)).replace(',', '');
}

/** 1234.5 → '1234,50': Swedish Excel reads a comma as the decimal sign. */
export function csvAmount(kronor: number): string {
  return kronor.toFixed(2).replace('.', ',');
}

function csvField(column: TableColumn, value: TableValue): string {
  if (value === null) return '';
  let text: string;
  if (column.type === 'amount') text = csvAmount(Number(value));
  else if (column.type === 'datetime') text = swedishDateTime(String(value));
  else text = String(value);
  // a text starting like a formula would run in the spreadsheet that opens the file
  if (column.type === 'text' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[";\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvHeader = (columns: readonly TableColumn[]): string => columns.map((column) => csvField({ ...column, type: 'text' }, column.header)).join(';');
const csvRow = (columns: readonly TableColumn[], row: TableRow): string => columns.map((column) => csvField(column, row[column.key] ?? null)).join(';');
const csvText = (lines: readonly string[]): string => `\uFEFF${lines.join('\r\n')}\r\n`;

export function tableToCsv(columns: readonly TableColumn[], rows: readonly TableRow[]): string {
  return csvText([csvHeader(columns), ...rows.map((row) => csvRow(columns, row))]);
}

// rows per progress report while a file is made
const EXPORT_CHUNK = 1000;

/** The same CSV, made in chunks that report to `progress` (which throws once the export is cancelled). */
async function tableToCsvWithProgress(columns: readonly TableColumn[], rows: readonly TableRow[], progress: WorkProgress): Promise<string> {
  const lines = [csvHeader(columns)];
  await progress.step(0, rows.length);
  for (let start = 0; start < rows.length; start += EXPORT_CHUNK) {
    for (const row of rows.slice(start, start + EXPORT_CHUNK)) lines.push(csvRow(columns, row));
    await progress.step(lines.length - 1, rows.length);
  }
  return csvText(lines);
}

/** The wall-clock time as if it were UTC: how Excel stores a date without a zone. */
function excelDate(column: TableColumn, value: string): Date {
  const text = column.type === 'datetime' ? swedishDateTime(value) : value;
  const [date = '', time = '00:00'] = text.split(' ');
  return new Date(`${date}T${time}:00Z`);
}

const NUMBER_FORMATS: Record<ColumnType, string | undefined> = {
  text: undefined,
  integer: '0',
  amount: '#,##0.00',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
};

const COLUMN_WIDTHS: Record<ColumnType, number> = { text: 24, integer: 10, amount: 14, date: 12, datetime: 17 };

export async function tableToXlsx(sheetName: string, columns: readonly TableColumn[], rows: readonly TableRow[], progress: WorkProgress = NO_PROGRESS): Promise<Buffer> {
  const workbook = new (await loadExcelJs()).Workbook();
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column.header, key: column.key, width: COLUMN_WIDTHS[column.type], style: { numFmt: NUMBER_FORMATS[column.type] } }));
  sheet.getRow(1).font = { bold: true };
  await progress.step(0, rows.length);
  for (const [index, row] of rows.entries()) {
    if (index > 0 && index % EXPORT_CHUNK === 0) await progress.step(index, rows.length);
    sheet.addRow(
      columns.map((column) => {
        const value = row[column.key] ?? null;
        if (value === null) return null;
        if (column.type === 'date' || column.type === 'datetime') return excelDate(column, String(value));
        if (column.type === 'amount' || column.type === 'integer') return Number(value);
        return String(value);
      }),
    );
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  await progress.step(rows.length, rows.length);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The file of a table; `progress` counts the rows written into it. */
export async function exportTable(format: 'xlsx' | 'csv', baseName: string, sheetName: string, columns: readonly TableColumn[], rows: readonly TableRow[], progress: WorkProgress = NO_PROGRESS): Promise<ExportedFile> {
  if (format === 'csv') return { fileName: `${baseName}.csv`, mimeType: CSV_MIME, contentBase64: Buffer.from(await tableToCsvWithProgress(columns, rows, progress), 'utf8').toString('base64') };
  return { fileName: `${baseName}.xlsx`, mimeType: XLSX_MIME, contentBase64: (await tableToXlsx(sheetName, columns, rows, progress)).toString('base64') };
}
