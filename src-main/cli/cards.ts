// `cli cards block-requests FILE` writes the block requests as CSV for the RA function; `cli cards worklist` prints the follow-up lists.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type OpenDatabase } from '../db/open';
import { cardWorklist, exportBlockRequests } from '../cards/reports';
import { FULL_SCOPE } from '../organisation/organisation';
import { DATABASE_FILE } from '../station';
import { CliError, type CliCommand, type CliInvocation, type CliResult } from './command';
import { cliCaller } from './identity';

const USAGE = 'Usage: cli cards block-requests FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD] | cli cards worklist [--json] [--data DIR]';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

async function withDatabase<T>(dataDir: string, work: (database: OpenDatabase) => T): Promise<T> {
  const database = await openDatabase(join(dataDir, DATABASE_FILE));
  try {
    return work(database);
  } finally {
    await database.close();
  }
}

function dateOption(value: CliInvocation['values'][string]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !DATE.test(value)) throw new CliError('usage', `Dates are YYYY-MM-DD.\n${USAGE}`, 64);
  return value;
}

async function writeBlockRequests(file: string, { values, dataDir }: CliInvocation): Promise<CliResult> {
  const range = { from: dateOption(values.from), to: dateOption(values.to) };
  const { csv, rows } = await withDatabase(dataDir, ({ sqlite }) => exportBlockRequests(sqlite, FULL_SCOPE, range, cliCaller(sqlite)));
  try {
    writeFileSync(file, csv);
  } catch {
    throw new CliError('file-unwritable', `Cannot write ${file}.`, 1);
  }
  return { output: { file, rows }, text: `Wrote ${rows} block requests to ${file}.` };
}

async function worklist(dataDir: string): Promise<CliResult> {
  const lists = await withDatabase(dataDir, ({ sqlite }) => cardWorklist(sqlite, FULL_SCOPE, new Date()));
  const lines = [
    `Ska spärras (ej uthämtade på 3 månader): ${lists.toBlock.length}`,
    ...lists.toBlock.map((card) => `  ${card.personName}  ${card.cardNumber ?? ''}  klart ${card.readyAt?.slice(0, 10) ?? ''}`),
    `Certifikat som går ut inom 90 dagar: ${lists.expiring.length}`,
    ...lists.expiring.map((card) => `  ${card.personName}  ${card.cardNumber ?? ''}  ${card.daysLeft} dagar`),
    `Anställning slutar inom 30 dagar, aktivt kort: ${lists.employmentEnding.length}`,
    ...lists.employmentEnding.map((card) => `  ${card.personName}  ${card.cardNumber ?? ''}  ${card.employmentEnd}`),
  ];
  return { output: lists, text: lines.join('\n') };
}

export const cardsCommand: CliCommand = {
  summary: 'cards block-requests FILE | cards worklist: export block requests as CSV, or list cards to follow up',
  options: { from: { type: 'string' }, to: { type: 'string' } },
  async run(invocation) {
    const [action, file] = invocation.positionals;
    if (action === 'block-requests' && file) return writeBlockRequests(file, invocation);
    if (action === 'worklist') return worklist(invocation.dataDir);
    throw new CliError('usage', USAGE, 64);
  },
};
