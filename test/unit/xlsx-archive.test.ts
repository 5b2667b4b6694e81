import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/db/open';
import { importCardOrders } from '../../src-main/cards/order-import';
import { FULL_SCOPE } from '../../src-main/organisation/organisation';
import { parsePeopleFile } from '../../src-main/people/import';
import { xlsxTemplate } from '../../src-main/people/template';
import { xlsxWithinLimits } from '../../src-main/spreadsheets/xlsx-archive';
import { manyParts, zipBomb } from '../support/zip-bomb';

const refusal = [{ line: 0, field: 'file', code: 'too-large-or-damaged' }];

describe('.xlsx archives before parsing', () => {
  it('lets a real workbook through', async () => {
    expect(await xlsxWithinLimits(await xlsxTemplate())).toBe(true);
    // 1 MiB of spaces squeezed 1000 times is still too small for its ratio to count
    expect(await xlsxWithinLimits(zipBomb({ inflatedMiB: 1 }))).toBe(true);
  });

  it('refuses a zip bomb by its declared size, by what it really inflates to, and by the number of parts', async () => {
    expect(await xlsxWithinLimits(zipBomb({ inflatedMiB: 500 }))).toBe(false);
    expect(await xlsxWithinLimits(zipBomb({ inflatedMiB: 2 }))).toBe(false);
    expect(await xlsxWithinLimits(zipBomb({ inflatedMiB: 500, lie: true }))).toBe(false);
    expect(await xlsxWithinLimits(manyParts(2_000))).toBe(false);
    expect(await xlsxWithinLimits(manyParts(100))).toBe(true);
  });

  it('refuses what is not a whole zip', async () => {
    const whole = await xlsxTemplate();
    expect(await xlsxWithinLimits(whole.subarray(0, whole.length - 30))).toBe(false);
    expect(await xlsxWithinLimits(Buffer.from('PK\u0003\u0004 not really a zip'))).toBe(false);
  });

  it('makes the people and card-order imports answer "too large or damaged" and write nothing', async () => {
    const bomb = zipBomb({ inflatedMiB: 500, lie: true });
    expect(await parsePeopleFile(bomb, 'personer.xlsx')).toEqual({ rows: [], errors: refusal });
    const database = await openDatabase(':memory:');
    try {
      expect(await importCardOrders(database, bomb, 'beställningar.xlsx', { actor: 'test', scope: FULL_SCOPE })).toEqual({ created: 0, errors: refusal });
      expect(await database.value('SELECT count(*) FROM card_order')).toBe(0);
    } finally {
      await database.close();
    }
  });
});
