// The import template: the columns in their agreed order, as an Excel workbook or a semicolon-separated CSV file.
import type { TemplateFile } from '@shared/contract';
import type { PersonField } from './person-fields';
import { loadExcelJs } from '../spreadsheets/exceljs-loader';

export type ImportColumn = PersonField | 'unit';

/** The template's headers, in order; the import matches them case-insensitively. */
export const TEMPLATE_COLUMNS: readonly { field: ImportColumn; header: string; width: number }[] = [
  { field: 'firstName', header: 'Förnamn', width: 18 },
  { field: 'surname', header: 'Efternamn', width: 20 },
  { field: 'personnummer', header: 'Personnummer', width: 16 },
  { field: 'hsaId', header: 'HSA-id', width: 26 },
  { field: 'username', header: 'Användarnamn', width: 16 },
  { field: 'email', header: 'E-post', width: 30 },
  { field: 'mobile', header: 'Mobil', width: 16 },
  { field: 'unit', header: 'Enhet', width: 14 },
  { field: 'employmentType', header: 'Anställningsform', width: 18 },
  { field: 'employmentEnd', header: 'Slutdatum', width: 14 },
  { field: 'employeeNumber', header: 'Anställningsnummer', width: 18 },
];

export const TEMPLATE_BASE_NAME = 'personer-mall';
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const UTF8_BOM = '\uFEFF';
// Columns Excel would otherwise turn into numbers, losing leading zeros; dates may stay dates, the import reads both.
const TEXT_FIELDS = new Set<ImportColumn>(['personnummer', 'mobile', 'unit', 'employeeNumber']);
const TEMPLATE_ROWS_FORMATTED = 5000;

const INSTRUCTIONS = [
  'Fyll i en person per rad på bladet Personer. Rad 1 är rubrikerna; ändra dem inte.',
  'Förnamn, Efternamn och Personnummer måste fyllas i.',
  'Personnummer eller samordningsnummer: ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN.',
  'HSA-id: till exempel SE2321000016-abc1.',
  'Enhet: enhetens referens (kostnadsställe). Lämna tomt om personen inte hör till en enhet.',
  'Anställningsform: Region, Kommunal, LOV eller Privat.',
  'Slutdatum: ÅÅÅÅ-MM-DD, tomt om anställningen inte har något slutdatum.',
  'Anställningsnummer (valfritt): behövs för löneavdrag när personen själv betalar en borttappad dosa.',
  'En person som redan finns (samma personnummer) uppdateras. En kolumn som saknas i filen lämnar uppgiften orörd.',
];

export function csvTemplate(): string {
  // Excel reads a UTF-8 file as UTF-8 only with the BOM, and splits Swedish CSV on semicolons.
  return `${UTF8_BOM}${TEMPLATE_COLUMNS.map((column) => column.header).join(';')}\r\n`;
}

export async function xlsxTemplate(): Promise<Uint8Array> {
  const workbook = new (await loadExcelJs()).Workbook();
  const sheet = workbook.addWorksheet('Personer', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = TEMPLATE_COLUMNS.map((column) => ({ header: column.header, key: column.field, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  TEMPLATE_COLUMNS.forEach((column, index) => {
    if (TEXT_FIELDS.has(column.field)) sheet.getColumn(index + 1).numFmt = '@';
  });
  const employmentColumn = TEMPLATE_COLUMNS.findIndex((column) => column.field === 'employmentType') + 1;
  for (let row = 2; row <= TEMPLATE_ROWS_FORMATTED; row++) {
    sheet.getCell(row, employmentColumn).dataValidation = { type: 'list', allowBlank: true, formulae: ['"Region,Kommunal,LOV,Privat"'] };
  }
  const help = workbook.addWorksheet('Instruktioner');
  help.getColumn(1).width = 110;
  INSTRUCTIONS.forEach((line) => help.addRow([line]));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

export async function templateFile(format: 'xlsx' | 'csv'): Promise<TemplateFile> {
  const bytes = format === 'xlsx' ? await xlsxTemplate() : new TextEncoder().encode(csvTemplate());
  return {
    fileName: `${TEMPLATE_BASE_NAME}.${format}`,
    mimeType: format === 'xlsx' ? XLSX_MIME : 'text/csv;charset=utf-8',
    contentBase64: Buffer.from(bytes).toString('base64'),
  };
}
