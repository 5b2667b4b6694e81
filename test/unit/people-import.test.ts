import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText, parseCsv, parsePeopleFile } from '../../src-main/people/import';
import { csvTemplate, TEMPLATE_COLUMNS, xlsxTemplate } from '../../src-main/people/template';
import { csvLine, personnummerFor, testPerson, TEMPLATE_HEADER, withWrongCheckDigit } from '../people-data';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

const TODAY = new Date(2025, 5, 15);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const latin1 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));
const parse = (text: string | Uint8Array, fileName = 'people.csv') => parsePeopleFile(typeof text === 'string' ? utf8(text) : text, fileName, TODAY);

/** The template header and one row whose cells can be overridden by column index. */
function fileWithRow(overrides: Record<number, string>): string {
  const cells = csvLine(testPerson(1), 'K100', 'Region', '2026-12-31').split(';');
  for (const [index, value] of Object.entries(overrides)) cells[Number(index)] = value;
  return `${TEMPLATE_HEADER}\n${cells.join(';')}\n`;
}
const column = (field: string): number => TEMPLATE_COLUMNS.findIndex((entry) => entry.field === field);

describe('reading the import file', () => {
  it('reads a semicolon CSV in UTF-8 with a BOM, normalising every field', async () => {
    const file = `\uFEFF${TEMPLATE_HEADER}\r\nÅsa;Öberg;850709-9805;se2321000016-abc1;asa.oberg;asa@example.se;070-123 45 67;K100;lov;20261231\r\n`;
    const { rows, errors } = await parse(file);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        unitReference: 'K100',
        values: {
          firstName: 'Åsa',
          surname: 'Öberg',
          personnummer: '198507099805',
          hsaId: 'SE2321000016-abc1',
          username: 'asa.oberg',
          email: 'asa@example.se',
          mobile: '+46701234567',
          employmentType: 'lov',
          employmentEnd: '2026-12-31',
        },
      },
    ]);
  });

  it('reads comma-separated Latin-1, as older Excel writes it', async () => {
    const file = latin1('Förnamn,Efternamn,Personnummer\nÅsa,Öberg,"198507099805"\n');
    const { rows, errors } = await parse(file);
    expect(errors).toEqual([]);
    expect(rows.map((row) => [row.values.firstName, row.values.surname, row.unitReference])).toEqual([['Åsa', 'Öberg', undefined]]);
  });

  it('matches headers in any case and order, ignores extra columns and leaves absent columns out', async () => {
    const file = `Anteckning;PERSONNUMMER;efternamn;FÖRNAMN;e-post\nringer tillbaka;198507099805;Berg;Anna;\n`;
    const { rows, errors } = await parse(file);
    expect(errors).toEqual([]);
    expect(rows[0]!.values).toEqual({ firstName: 'Anna', surname: 'Berg', personnummer: '198507099805', email: null });
  });

  it('keeps quoted delimiters, doubled quotes and line breaks, and numbers rows by the line they start on', async () => {
    const file = `${TEMPLATE_HEADER}\n"Anna; ""Annie""";"Berg\nLund";198507099805\n\n;;${withWrongCheckDigit(personnummerFor(2))}\n`;
    const { rows, errors } = await parse(file);
    expect(rows[0]!.values.firstName).toBe('Anna; "Annie"');
    expect(rows[0]!.values.surname).toBe('Berg Lund');
    // the quoted line break makes the record span lines 2–3; line 4 is blank
    expect(errors).toEqual([
      { line: 5, field: 'firstName', code: 'missing' },
      { line: 5, field: 'personnummer', code: 'check-digit' },
      { line: 5, field: 'surname', code: 'missing' },
    ]);
  });

  it.each([
    ['personnummer', withWrongCheckDigit(personnummerFor(1)), 'check-digit'],
    ['personnummer', '19850230-1234', 'date'],
    ['personnummer', '8507099', 'format'],
    ['personnummer', '', 'missing'],
    ['firstName', '', 'missing'],
    ['surname', '  ', 'missing'],
    ['surname', 'x'.repeat(101), 'too-long'],
    ['hsaId', 'SE2321000017-abc', 'invalid'],
    ['hsaId', 'TST5565594230-1', 'invalid'],
    ['username', 'anna berg', 'invalid'],
    ['email', 'anna.example.se', 'invalid'],
    ['mobile', '08-123 456 78', 'invalid'],
    ['employmentType', 'Konsult', 'invalid'],
    ['employmentEnd', '2026-02-30', 'date'],
    ['employmentEnd', '31/12/2026', 'format'],
  ])('reports %s %j as %s on its line', async (field, value, code) => {
    const { rows, errors } = await parse(fileWithRow({ [column(field)]: value }));
    expect(errors).toEqual([{ line: 2, field, code }]);
    expect(rows).toEqual([]);
  });

  it('reports people repeated in the file (also as 10 and 12 digits), on every later line', async () => {
    const first = testPerson(1);
    const file = [
      TEMPLATE_HEADER,
      csvLine(first),
      csvLine({ ...testPerson(2), personnummer: first.personnummer.slice(2, 8) + '-' + first.personnummer.slice(8) }),
      csvLine({ ...testPerson(3), hsaId: first.hsaId.toUpperCase().replace('-P', '-p') }),
      csvLine({ ...testPerson(4), username: first.username.toUpperCase() }),
    ].join('\n');
    const { rows, errors } = await parse(file);
    expect(errors).toEqual([
      { line: 3, field: 'personnummer', code: 'duplicate-in-file' },
      { line: 4, field: 'hsaId', code: 'duplicate-in-file' },
      { line: 5, field: 'username', code: 'duplicate-in-file' },
    ]);
    expect(rows.map((row) => row.line)).toEqual([2]);
  });

  it('refuses a file without the required columns, an empty file and a fake workbook', async () => {
    expect((await parse('Förnamn;Personnummer\nAnna;198507099805\n')).errors).toEqual([{ line: 1, field: 'surname', code: 'missing-column' }]);
    expect((await parse('Förnamn;Efternamn;Personnummer;Enhet;Referens\n')).errors).toEqual([{ line: 1, field: 'unit', code: 'duplicate-column' }]);
    expect((await parse('')).errors).toEqual([{ line: 1, field: 'file', code: 'empty' }]);
    expect((await parse(TEMPLATE_HEADER, 'people.xlsx')).errors).toEqual([{ line: 0, field: 'file', code: 'unreadable' }]);
    expect((await parse(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).errors).toEqual([{ line: 0, field: 'file', code: 'too-large-or-damaged' }]);
  });

  it('reads back the CSV template as a file with no rows', async () => {
    expect(await parse(csvTemplate())).toEqual({ rows: [], errors: [] });
  });

  it('round-trips the xlsx template filled in as Excel would: text, numbers, dates and links', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await xlsxTemplate()) as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet('Personer')!;
    const person = testPerson(7);
    // typed into rows 2 and 3, as a person fills the template in (addRow would land below the formatted rows)
    sheet.getRow(2).values = ['Anna', 'Berg', Number(person.personnummer), person.hsaId, person.username, { text: person.email, hyperlink: `mailto:${person.email}` }, person.mobile, 'K100', 'Kommunal', new Date(Date.UTC(2026, 11, 31)), '004711'];
    sheet.getRow(3).values = ['', 'Utan förnamn', person.personnummer];
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const { rows, errors } = await parse(bytes, 'people.xlsx');
    expect(errors).toEqual([{ line: 3, field: 'firstName', code: 'missing' }]);
    expect(rows).toEqual([
      {
        line: 2,
        unitReference: 'K100',
        values: { firstName: 'Anna', surname: 'Berg', personnummer: person.personnummer, hsaId: person.hsaId, username: person.username, email: person.email, mobile: `+46${person.mobile.slice(1)}`, employmentType: 'kommunal', employmentEnd: '2026-12-31', employeeNumber: '004711' },
      },
    ]);
  });
});

describe('decoding and splitting, for any input', () => {
  const swedishText = fc.string({ unit: fc.constantFrom(...'abcxyzåäöÅÄÖéü ,;-'.split('')), minLength: 1, maxLength: 30 });

  it('reads Swedish text the same whether it was saved as UTF-8, UTF-8 with BOM or Latin-1', () => {
    fc.assert(
      fc.property(swedishText, (text) => {
        expect(decodeText(utf8(text))).toBe(text);
        expect(decodeText(utf8(`\uFEFF${text}`))).toBe(text);
        expect(decodeText(latin1(text))).toBe(text);
      }),
    );
  }, PROPERTY_BUDGET_MS);

  it('stores a personnummer written in any accepted form as the same 12 digits, and sees a second form as a repeat', async () => {
    const forms = (pnr: string) => [pnr, `${pnr.slice(0, 8)}-${pnr.slice(8)}`, pnr.slice(2), `${pnr.slice(2, 8)}-${pnr.slice(8)}`];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1_000_000 }), fc.nat(3), fc.nat(3), async (n, first, second) => {
        const person = testPerson(n);
        const [a, b] = [forms(person.personnummer)[first]!, forms(person.personnummer)[second]!];
        const { rows, errors } = await parse(`Förnamn;Efternamn;Personnummer\nAnna;Berg;${a}\nAnna;Berg;${b}\n`);
        expect(rows.map((row) => row.values.personnummer)).toEqual([person.personnummer]);
        expect(errors).toEqual([{ line: 3, field: 'personnummer', code: 'duplicate-in-file' }]);
      }),
      { numRuns: 200 },
    );
  }, PROPERTY_BUDGET_MS);

  it('gives back every cell of a quoted CSV, whatever the cells hold', () => {
    const cell = fc.string({ unit: fc.constantFrom(...'ab;,"\n Ö'.split('')), maxLength: 8 });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), fc.constantFrom(';', ','), (table, delimiter) => {
        const header = ['A', 'B', 'C', 'D'].join(delimiter);
        const text = [header, ...table.map((row) => row.map((value) => `"${value.replaceAll('"', '""')}"`).join(delimiter))].join('\r\n');
        expect(parseCsv(text).slice(1).map((row) => row.cells)).toEqual(table);
      }),
    );
  }, PROPERTY_BUDGET_MS);
});
