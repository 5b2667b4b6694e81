// The data layer itself on a real PostgreSQL and real SQLite files: registers of one process keep their transactions apart, and PostgreSQL statements are prepared once per connection within a bound.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { OpenRegister } from '../../src-main/db/data-layer';
import { openDatabase } from '../../src-main/db/open';
import { readSetting, writeSetting } from '../../src-main/db/settings';
import { DATABASE_FILE } from '../../src-main/station';
import { freshPostgresDatabase } from '../support/postgres';

const freshLocation = {
  sqlite: async (): Promise<string> => join(mkdtempSync(join(tmpdir(), 'kortstation-data-layer-')), DATABASE_FILE),
  postgres: (): Promise<string> => freshPostgresDatabase(inject('postgresUrl')),
};

const opened: OpenRegister[] = [];
const open = async (engine: keyof typeof freshLocation): Promise<OpenRegister> => {
  const register = await openDatabase(await freshLocation[engine]());
  opened.push(register);
  return register;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((register) => register.close()));
});

describe.each(['sqlite', 'postgres'] as const)('two registers in one process on %s', (engine) => {
  it('keep their transactions apart: a query of one inside the other\'s transaction is not part of it', async () => {
    const [first, second] = [await open(engine), await open(engine)];
    await expect(
      first.transaction(async () => {
        await writeSetting(first, 'test.first', 'rolled back');
        expect(second.inTransaction()).toBe(false);
        await writeSetting(second, 'test.second', 'kept');
        await second.transaction(async () => {
          expect([first.inTransaction(), second.inTransaction()]).toEqual([true, true]);
          await writeSetting(second, 'test.inner', 'kept too');
        });
        throw new Error('the first register gives up');
      }),
    ).rejects.toThrow('the first register gives up');
    expect(await readSetting(first, 'test.first')).toBeUndefined();
    expect([await readSetting(second, 'test.second'), await readSetting(second, 'test.inner')]).toEqual(['kept', 'kept too']);
  });
});

describe('statements on PostgreSQL', () => {
  // one connection: a transaction holds its connection to the end
  const preparedTexts = async (register: OpenRegister): Promise<string[]> => register.column<string>('SELECT statement FROM pg_prepared_statements ORDER BY prepare_time');

  it('are prepared once per connection and text, after the migrations, and never more than 1000 on a connection', async () => {
    const register = await open('postgres');
    await register.transaction(async () => {
      // the migrations ran before: not even the rows they wrote into their own table were prepared
      expect((await preparedTexts(register)).filter((text) => /kysely_migration"? \(/i.test(text))).toEqual([]);
      for (const n of [1, 2, 3]) expect(await register.value<number>('SELECT ?::int + 1 AS next', [n])).toBe(n + 1);
      expect((await preparedTexts(register)).filter((text) => text === 'SELECT $1::int + 1 AS next')).toHaveLength(1);
      // a query without parameters goes as plain text and is not kept
      expect((await preparedTexts(register)).some((text) => text.includes('pg_prepared_statements'))).toBe(false);
      for (let n = 0; n < 1010; n++) expect(await register.value<number>(`SELECT ?::int + ${n} AS shifted`, [1])).toBe(1 + n);
      expect((await preparedTexts(register)).length).toBe(1000);
    });
  });
});
