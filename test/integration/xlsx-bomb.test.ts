// The zip bomb that took 43 s and 3.3 GB in a people import: now refused before exceljs sees it, measured in a process of its own.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliCommand } from '../support/cli';
import { openTestRegister } from '../support/register';
import { registerEnv } from '../support/register-location';
import { zipBomb } from '../support/zip-bomb';

const MAX_RSS_KIB = 200 * 1024;
// a guard against a hang, not a measurement: the refusal itself takes milliseconds
const GUARD_MS = 60_000;

describe('a people import of an .xlsx zip bomb', () => {
  for (const lie of [false, true]) {
    it(`is refused within 200 MB, nothing written (${lie ? 'sizes that lie' : 'honest sizes'})`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-bomb-'));
      const bomb = join(dataDir, 'personer.xlsx');
      // about 2 MB that inflates to 2 GB, like the file in the issue
      writeFileSync(bomb, zipBomb({ inflatedMiB: 2_000, lie }));
      const peakFile = join(dataDir, 'peak-rss');
      const [command, args] = cliCommand(['people', 'import', bomb, '--data', dataDir, '--json']);
      // GNU time reports the child's peak resident set (KiB) into its own file
      const result = spawnSync('/usr/bin/time', ['-f', '%M', '-o', peakFile, command, ...args], { encoding: 'utf8', timeout: GUARD_MS, env: { ...process.env, ...registerEnv(dataDir) } });
      expect(result.status).toBe(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ created: 0, updated: 0, errors: [{ line: 0, field: 'file', code: 'too-large-or-damaged' }] });
      const peakKib = Number(readFileSync(peakFile, 'utf8').trim().split('\n').at(-1));
      console.log(`zip bomb refusal: peak RSS ${(peakKib / 1024).toFixed(0)} MiB`);
      expect(peakKib).toBeGreaterThan(0);
      expect(peakKib).toBeLessThan(MAX_RSS_KIB);
      const database = await openTestRegister(dataDir);
      try {
        expect(await database.value('SELECT count(*) FROM person')).toBe(0);
      } finally {
        await database.close();
      }
    });
  }
});
