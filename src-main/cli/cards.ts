// `cli cards block-requests FILE` writes the block requests as CSV for the RA function; `cli cards worklist` prints the follow-up lists; `cli cards import-orders FILE` takes card orders from a file, all or nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { importCardOrders } from '../cards/order-import';
import { cardWorklist } from '../cards/reports';
import { exportBlockRequests } from '../cards/block-requests';
import { FULL_SCOPE } from '../organisation/organisation';
import { CliError, type CliCommand, type CliInvocation, type CliResult } from './command';
import { withRegister } from './database';
import { cliActor, cliCaller } from './identity';
import { withProgressLine } from './progress-line';

const USAGE = 'Usage: cli cards block-requests FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD] | cli cards worklist [--json] [--data DIR] | cli cards import-orders FILE.csv|FILE.xlsx';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dateOption(value: CliInvocation['values'][string]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !DATE.test(value)) throw new CliError('usage', `Dates are YYYY-MM-DD.\n${USAGE}`, 64);
  return value;
}

async function writeBlockRequests(file: string, invocation: CliInvocation): Promise<CliResult> {
  const range = { from: dateOption(invocation.values.from), to: dateOption(invocation.values.to) };
  const { csv, rows } = await withRegister(invocation, async (db) => exportBlockRequests(db, FULL_SCOPE, range, await cliCaller(db)));
  try {
    writeFileSync(file, csv);
  } catch {
    throw new CliError('file-unwritable', `Cannot write ${file}.`, 1);
  }
  return { output: { file, rows }, text: `Wrote ${rows} block requests to ${file}.` };
}

// the CLI is run by whoever administers the station's files, so it orders for every unit
async function importOrders(file: string, invocation: CliInvocation): Promise<CliResult> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new CliError('file-unreadable', `Cannot read ${file}.`, 1);
  }
  const report = await withRegister(invocation, (db) =>
    withProgressLine(invocation, 'Saving card orders', (progress) => importCardOrders(db, bytes, basename(file), { actor: cliActor(), scope: FULL_SCOPE }, new Date(), progress)),
  );
  if (report.errors.length === 0) return { output: report, text: `Imported ${report.created} card orders.` };
  const lines = report.errors.map((error) => `  line ${error.line}: ${error.field} ${error.code}`);
  return { output: report, text: [`Nothing was imported: ${report.errors.length} faults.`, ...lines].join('\n'), exitCode: 1 };
}

async function worklist(invocation: CliInvocation): Promise<CliResult> {
  const lists = await withRegister(invocation, (db) => cardWorklist(db, FULL_SCOPE, new Date()));
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
  summary: 'cards block-requests FILE | cards worklist | cards import-orders FILE: block requests as CSV, cards to follow up, card orders from a file',
  options: { from: { type: 'string' }, to: { type: 'string' } },
  async run(invocation) {
    const [action, file] = invocation.positionals;
    if (action === 'block-requests' && file) return writeBlockRequests(file, invocation);
    if (action === 'worklist') return worklist(invocation);
    if (action === 'import-orders' && file) return importOrders(file, invocation);
    throw new CliError('usage', USAGE, 64);
  },
};
