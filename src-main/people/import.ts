// Reads a filled-in template (.xlsx, or .csv in UTF-8 or Latin-1 with ';' or ','): rows checked one by one, every fault listed by line.
import type ExcelJS from 'exceljs';
import type { ImportRowError } from '@shared/contract';
import { parsePersonFields, searchKey, type PersonValues, type RawPersonFields } from './person-fields';
import { TEMPLATE_COLUMNS, type ImportColumn } from './template';
import { xlsxWithinLimits } from '../spreadsheets/xlsx-archive';
import { loadExcelJs } from '../spreadsheets/exceljs-loader';

/** A row without faults; fields whose column is absent from the file are absent here too. */
export interface ImportRow {
  line: number;
  values: Partial<PersonValues> & Pick<PersonValues, 'firstName' | 'surname' | 'personnummer'>;
  /** The unit's reference; null for an empty cell, undefined when the file has no unit column. */
  unitReference: string | null | undefined;
}

export interface ParsedImport {
  rows: ImportRow[];
  errors: ImportRowError[];
}

interface TableRow {
  line: number;
  cells: string[];
}

export const MAX_IMPORT_ROWS = 50_000;
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const REQUIRED_COLUMNS: readonly ImportColumn[] = ['firstName', 'surname', 'personnummer'];
// Besides the template's own headers: the English names and spellings people write by hand.
const HEADER_ALIASES: Record<string, ImportColumn> = {
  fornamn: 'firstName',
  'first name': 'firstName',
  surname: 'surname',
  'last name': 'surname',
  samordningsnummer: 'personnummer',
  'hsa id': 'hsaId',
  hsaid: 'hsaId',
  username: 'username',
  epost: 'email',
  'e-mail': 'email',
  email: 'email',
  mobilnummer: 'mobile',
  mobile: 'mobile',
  referens: 'unit',
  unit: 'unit',
  'employment type': 'employmentType',
  'end date': 'employmentEnd',
  'employee number': 'employeeNumber',
  anstallningsnr: 'employeeNumber',
};
const HEADERS: ReadonlyMap<string, ImportColumn> = new Map([
  ...TEMPLATE_COLUMNS.map((column) => [searchKey(column.header), column.field] as const),
  ...Object.entries(HEADER_ALIASES),
]);

const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean => prefix.every((byte, index) => bytes[index] === byte);

/** Valid UTF-8 (with or without BOM) is read as UTF-8; anything else is what older Excel writes, Windows-1252 (Latin-1). */
export function decodeText(bytes: Uint8Array): string {
  if (startsWith(bytes, UTF8_BOM)) return new TextDecoder('utf-8').decode(bytes.subarray(UTF8_BOM.length));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** The delimiter of the header line: whichever of ';' and ',' occurs more often outside quotes. */
function detectDelimiter(text: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char === ';') semicolons++;
    else if (!quoted && char === ',') commas++;
  }
  return commas > semicolons ? ',' : ';';
}

/** RFC 4180: quoted fields may hold the delimiter, doubled quotes and line breaks; a row's line is where it starts. */
export function parseCsv(text: string): TableRow[] {
  const delimiter = detectDelimiter(text);
  const rows: TableRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        cell += char;
      }
    } else if (char === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (char === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      rows.push({ line: rowLine, cells: [...cells, cell] });
      cells = [];
      cell = '';
      rowLine = ++line;
    } else cell += char;
  }
  if (cells.length > 0 || cell !== '') rows.push({ line: rowLine, cells: [...cells, cell] });
  return rows;
}

/** A cell as the text a person would have typed: dates as YYYY-MM-DD, links and formulas by what they show. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text);
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result as ExcelJS.CellValue);
  return '';
}

async function readWorkbook(bytes: Uint8Array): Promise<TableRow[] | null> {
  const workbook = new (await loadExcelJs()).Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    return null;
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column++) cells.push(cellText(row.getCell(column).value));
    rows.push({ line: row.number, cells });
  });
  return rows;
}

type HeaderResult = { columns: Map<ImportColumn, number>; errors: ImportRowError[] };

function mapHeader(header: TableRow | undefined): HeaderResult {
  const columns = new Map<ImportColumn, number>();
  const errors: ImportRowError[] = [];
  header?.cells.forEach((cell, index) => {
    const column = HEADERS.get(searchKey(cell.replace(/^\uFEFF/, '')));
    if (!column) return;
    if (columns.has(column)) errors.push({ line: 1, field: column, code: 'duplicate-column' });
    else columns.set(column, index);
  });
  for (const column of REQUIRED_COLUMNS) if (!columns.has(column)) errors.push({ line: 1, field: column, code: 'missing-column' });
  return { columns, errors };
}

/** Marks the second and later rows that repeat a personnummer, HSA-ID or username of an earlier row. */
function findDuplicates(rows: readonly ImportRow[]): ImportRowError[] {
  const errors: ImportRowError[] = [];
  const seen = { personnummer: new Set<string>(), hsaId: new Set<string>(), username: new Set<string>() };
  for (const row of rows) {
    for (const field of ['personnummer', 'hsaId', 'username'] as const) {
      const value = row.values[field];
      if (value === null || value === undefined) continue;
      const key = searchKey(value);
      if (seen[field].has(key)) errors.push({ line: row.line, field, code: 'duplicate-in-file' });
      seen[field].add(key);
    }
  }
  return errors;
}

export function byLineAndField(a: ImportRowError, b: ImportRowError): number {
  return a.line - b.line || a.field.localeCompare(b.field);
}

/** Checks every row without a database: what needs one (units, people already there) is for the import itself. */
export async function parsePeopleFile(bytes: Uint8Array, fileName = '', today: Date = new Date()): Promise<ParsedImport> {
  const isWorkbook = startsWith(bytes, ZIP_SIGNATURE);
  if (isWorkbook && !(await xlsxWithinLimits(bytes))) return { rows: [], errors: [{ line: 0, field: 'file', code: 'too-large-or-damaged' }] };
  // a file named .xlsx that is not one would otherwise be read as a CSV of garbage
  const table = isWorkbook ? await readWorkbook(bytes) : /\.xlsx$/i.test(fileName) ? null : parseCsv(decodeText(bytes));
  if (table === null) return { rows: [], errors: [{ line: 0, field: 'file', code: 'unreadable' }] };
  const [header, ...body] = table.filter((row) => row.line === 1 || row.cells.some((cell) => cell.trim() !== ''));
  if (!header || header.line !== 1) return { rows: [], errors: [{ line: 1, field: 'file', code: 'empty' }] };
  const { columns, errors } = mapHeader(header);
  if (errors.some((error) => error.code === 'missing-column')) return { rows: [], errors };
  if (body.length > MAX_IMPORT_ROWS) return { rows: [], errors: [{ line: 0, field: 'file', code: 'too-many-rows' }] };

  const rows: ImportRow[] = [];
  for (const { line, cells } of body) {
    const raw: RawPersonFields & { unit?: string } = {};
    for (const [column, index] of columns) raw[column] = cells[index] ?? '';
    const { unit, ...fields } = raw;
    const parsed = parsePersonFields(fields, today);
    errors.push(...parsed.errors.map(({ field, code }) => ({ line, field, code })));
    if (parsed.errors.length === 0) rows.push({ line, values: parsed.values as ImportRow['values'], unitReference: unit === undefined ? undefined : unit.trim() || null });
  }
  const duplicates = findDuplicates(rows);
  const badLines = new Set(duplicates.map((error) => error.line));
  return { rows: rows.filter((row) => !badLines.has(row.line)), errors: [...errors, ...duplicates].sort(byLineAndField) };
}
