// Issue 17 item 3 in the CLI: a long import or export shows one progress line on a terminal (stderr, rewritten in place), and none with --json or when its output is no terminal.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { csvLine, testPerson, TEMPLATE_HEADER } from '../people-data';
import { generatePskc } from '../sim/pskc-generator';
import { runCli, runCliOnTerminal } from '../support/cli';

const PEOPLE = 3_000;
const CLEAR_LINE = '\r\u001b[K';

/** Card orders for the first `count` people of the file, one each. */
function ordersFile(dataDir: string, count: number): string {
  const file = join(dataDir, 'orders.csv');
  writeFileSync(file, ['personnummer;beställningsdatum;beställningsreferens', ...Array.from({ length: count }, (_, n) => `${testPerson(n).personnummer};2026-11-20;ORD-${n}`)].join('\r\n'));
  return file;
}

function peopleFile(dataDir: string, first: number): string {
  const file = join(dataDir, `people-${first}.csv`);
  writeFileSync(file, [TEMPLATE_HEADER, ...Array.from({ length: PEOPLE }, (_, n) => csvLine(testPerson(first + n)))].join('\r\n'));
  return file;
}

it('people import on a terminal counts the people saved on one line, then clears it for the result', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-cli-progress-'));
  const { status, output } = runCliOnTerminal(['people', 'import', peopleFile(dataDir, 0), '--data', dataDir]);
  expect(status).toBe(0);
  expect(output).toContain(`${CLEAR_LINE}Saving people: 0 of ${PEOPLE} (0 %)`);
  expect(output).toContain(`${CLEAR_LINE}Saving people: ${PEOPLE} of ${PEOPLE} (100 %)${CLEAR_LINE}Imported: ${PEOPLE} new, 0 updated, 0 unchanged.`);
  // the line is rewritten, never scrolled: no line end until the result
  expect(output.slice(0, output.indexOf('Imported:'))).not.toMatch(/\n/);

  const ordered = runCliOnTerminal(['cards', 'import-orders', ordersFile(dataDir, 250), '--data', dataDir]);
  expect(ordered.status).toBe(0);
  expect(ordered.output).toContain(`${CLEAR_LINE}Saving card orders: 0 of 250 (0 %)`);
  expect(ordered.output).toContain(`${CLEAR_LINE}Saving card orders: 250 of 250 (100 %)${CLEAR_LINE}Imported 250 card orders.`);

  // an export counts the rows it writes the same way: the people import and the 250 orders
  const exported = runCliOnTerminal(['audit', 'export', join(dataDir, 'granskning.csv'), '--data', dataDir, '--action', 'card']);
  expect(exported.status).toBe(0);
  expect(exported.output).toContain(`${CLEAR_LINE}Exporting audit entries: 250 of 250 (100 %)${CLEAR_LINE}Wrote 250 audit entries to`);
});

it('people import shows no progress with --json, nor when its output is no terminal', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-cli-progress-'));
  const onTerminal = runCliOnTerminal(['people', 'import', peopleFile(dataDir, 0), '--data', dataDir, '--json']);
  expect(onTerminal.status).toBe(0);
  expect(JSON.parse(onTerminal.output)).toEqual({ created: PEOPLE, updated: 0, unchanged: 0, errors: [] });

  const piped = runCli(['people', 'import', peopleFile(dataDir, PEOPLE), '--data', dataDir]);
  expect(piped).toMatchObject({ status: 0, stderr: '', stdout: `Imported: ${PEOPLE} new, 0 updated, 0 unchanged.\n` });
  expect(runCli(['cards', 'import-orders', ordersFile(dataDir, 10), '--data', dataDir])).toMatchObject({ status: 0, stderr: '', stdout: 'Imported 10 card orders.\n' });
  const exportOnTerminal = runCliOnTerminal(['audit', 'export', join(dataDir, 'granskning.csv'), '--data', dataDir, '--json']);
  expect(JSON.parse(exportOnTerminal.output)).toEqual({ file: join(dataDir, 'granskning.csv'), rows: 12 });
});

it('tokens import on a terminal counts the tokens saved, and in a pipe shows nothing', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-cli-progress-'));
  const tokens = (prefix: string): string => {
    const file = join(dataDir, `${prefix}.pskc`);
    writeFileSync(file, generatePskc({ count: 600, kind: 'hotp', serialPrefix: prefix, encryption: 'none' }));
    return file;
  };
  const { status, output } = runCliOnTerminal(['tokens', 'import', tokens('TT'), '--data', dataDir]);
  expect(status).toBe(0);
  expect(output).toContain(`${CLEAR_LINE}Importing tokens: 0 of 600 (0 %)`);
  expect(output).toContain(`${CLEAR_LINE}Importing tokens: 600 of 600 (100 %)${CLEAR_LINE}Imported 600 tokens (pskc) into the station's own stock.`);
  expect(runCli(['tokens', 'import', tokens('TP'), '--data', dataDir])).toMatchObject({ status: 0, stderr: '', stdout: "Imported 600 tokens (pskc) into the station's own stock.\n" });
});
