import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { TableColumn } from '@shared/contract';
import { csvAmount, swedishDateTime, tableToCsv, tableToXlsx } from '../../src-main/reports/table-export';

const columns: TableColumn[] = [
  { key: 'name', header: 'Namn', type: 'text' },
  { key: 'day', header: 'Datum', type: 'date' },
  { key: 'at', header: 'Tid', type: 'datetime' },
  { key: 'amount', header: 'Belopp (kr)', type: 'amount' },
  { key: 'count', header: 'Antal', type: 'integer' },
];
const rows = [
  { name: 'Berg; Anna "A"', day: '2026-10-05', at: '2026-07-01T10:15:00.000Z', amount: 1234.5, count: 3 },
  { name: '=HYPERLINK("x")', day: null, at: null, amount: -200, count: null },
];

describe('CSV for Swedish Excel', () => {
  it('writes a BOM, semicolons, decimal commas, CRLF and quotes what needs quoting', () => {
    const csv = tableToCsv(columns, rows);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'Namn;Datum;Tid;Belopp (kr);Antal',
      '"Berg; Anna ""A""";2026-10-05;2026-07-01 12:15;1234,50;3',
      `"'=HYPERLINK(""x"")";;;-200,00;`,
      '',
    ]);
  });

  it('formats amounts and Swedish wall-clock times', () => {
    expect(csvAmount(0.1 + 0.2)).toBe('0,30');
    expect(swedishDateTime('2026-01-15T23:30:00.000Z')).toBe('2026-01-16 00:30');
  });
});

describe('xlsx with typed cells', () => {
  it('has a header row, dates as dates and amounts as numbers with two decimals', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await tableToXlsx('Rapport', columns, rows)) as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet('Rapport');
    expect(sheet?.getRow(1).values).toEqual([undefined, 'Namn', 'Datum', 'Tid', 'Belopp (kr)', 'Antal']);
    const data = sheet!.getRow(2);
    expect(data.getCell(1).value).toBe('Berg; Anna "A"');
    expect(data.getCell(2).value).toEqual(new Date('2026-10-05T00:00:00Z'));
    expect(data.getCell(3).value).toEqual(new Date('2026-07-01T12:15:00Z'));
    expect(data.getCell(4).value).toBe(1234.5);
    expect(data.getCell(4).numFmt).toBe('#,##0.00');
    expect(data.getCell(5).value).toBe(3);
    expect(sheet!.getRow(3).getCell(2).value).toBeNull();
  });
});
