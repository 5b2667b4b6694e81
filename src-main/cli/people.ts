// `cli people import FILE [--dry-run]`, `cli people template FILE.xlsx|FILE.csv` (bulk people) and `cli people extract` (one person's register extract).
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { AppError } from '../app-error';
import type { ImportReport } from '@shared/contract';
import { FULL_SCOPE } from '../organisation/organisation';
import { extractPerson, personIdByPersonnummer } from '../people/extract';
import { erasePerson } from '../privacy/erasure';
import { parsePeopleFile } from '../people/import';
import { importPeopleAudited, previewImport } from '../people/import-apply';
import { templateFile } from '../people/template';
import { withRegister } from './database';
import { CliError, type CliCommand, type CliInvocation, type CliResult } from './command';
import { cliCaller } from './identity';
import { withProgressLine } from './progress-line';

const USAGE = 'Usage: cli people import FILE [--dry-run] [--data DIR] [--json] | cli people template FILE.xlsx|FILE.csv | cli people extract|erase --json  (standard input: the personnummer)';
// any user of the machine can read another's command line (ps, /proc): a personnummer never goes there, like a password
const PERSONNUMMER_ON_COMMAND_LINE = 'Give the personnummer on standard input, not as an argument: a command line is visible to every user of this machine.';

function describe(report: ImportReport, dryRun: boolean): string {
  const counts = `${report.created} new, ${report.updated} updated, ${report.unchanged} unchanged`;
  if (report.errors.length === 0) return dryRun ? `Dry run, nothing written: would import ${counts}.` : `Imported: ${counts}.`;
  const lines = report.errors.map((error) => `  line ${error.line}: ${error.field} ${error.code}`);
  return [`Nothing was imported: ${report.errors.length} faults.`, ...lines].join('\n');
}

// The CLI is a support tool run by whoever administers the station's files, so it sees every unit.
async function runImport(file: string, invocation: CliInvocation, dryRun: boolean): Promise<CliResult> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new CliError('file-unreadable', `Cannot read ${file}.`, 1);
  }
  const parsed = await parsePeopleFile(bytes, file);
  const report = await withRegister(invocation, async (db) => {
    if (dryRun) return previewImport(db, FULL_SCOPE, parsed);
    const by = await cliCaller(db);
    return withProgressLine(invocation, 'Saving people', (progress) => importPeopleAudited(db, FULL_SCOPE, parsed, by, progress));
  });
  return { output: report, text: describe(report, dryRun), exitCode: report.errors.length > 0 ? 1 : 0 };
}

async function personnummerFromStdin(): Promise<string> {
  const input = createInterface({ input: process.stdin, terminal: false });
  let first = '';
  for await (const line of input) {
    first = line.trim();
    break;
  }
  input.close();
  if (first === '') throw new CliError('missing-input', 'Standard input must hold the personnummer on its first line.', 64);
  return first;
}

// The CLI sees every unit (see runImport); the extract is audited as the CLI's own identity.
async function runExtract(invocation: CliInvocation): Promise<CliResult> {
  const personnummer = await personnummerFromStdin();
  try {
    const extract = await withRegister(invocation, async (db) => extractPerson(db, FULL_SCOPE, await personIdByPersonnummer(db, personnummer), await cliCaller(db)));
    const { person } = extract;
    const counts = `${extract.cards.length} cards, ${extract.tokens.length} tokens, ${extract.charges.length} charges, ${extract.mails.length} e-mails, ${extract.auditEntries.length} audit entries`;
    return { output: extract, text: `Register extract for ${person.firstName} ${person.surname} (${person.personnummer}): ${counts}. Use --json for the whole extract.` };
  } catch (error) {
    if (error instanceof AppError) throw new CliError(error.code, error.message, 1);
    throw error;
  }
}

async function runErase(invocation: CliInvocation): Promise<CliResult> {
  const personnummer = await personnummerFromStdin();
  try {
    const report = await withRegister(invocation, async (db) => erasePerson(db, await personIdByPersonnummer(db, personnummer), await cliCaller(db)));
    return { output: report, text: `Erased: the person is now ${report.pseudonym}; ${report.cardEventsCleared} card events and ${report.blockRequestsCleared} block requests cleared, ${report.mailsRemoved} e-mails removed.` };
  } catch (error) {
    if (error instanceof AppError) throw new CliError(error.code, error.message, 1);
    throw error;
  }
}

async function writeTemplate(file: string): Promise<CliResult> {
  const format = extname(file).toLowerCase().slice(1);
  if (format !== 'xlsx' && format !== 'csv') throw new CliError('usage', 'The template file must end in .xlsx or .csv.', 64);
  const template = await templateFile(format);
  try {
    writeFileSync(file, Buffer.from(template.contentBase64, 'base64'));
  } catch {
    throw new CliError('file-unwritable', `Cannot write ${file}.`, 1);
  }
  return { output: { file, format }, text: `Wrote the template to ${file}.` };
}

export const peopleCommand: CliCommand = {
  summary: 'people import FILE [--dry-run] | people template FILE.xlsx|FILE.csv | people extract|erase (personnummer on stdin): people from the template; one person\'s register extract or erasure',
  options: { 'dry-run': { type: 'boolean', default: false } },
  async run(invocation) {
    const { positionals, values } = invocation;
    const [action, file] = positionals;
    if (action === 'import' && file) return runImport(file, invocation, values['dry-run'] === true);
    if (action === 'template' && file) return writeTemplate(file);
    if ((action === 'extract' || action === 'erase') && file) throw new CliError('usage', PERSONNUMMER_ON_COMMAND_LINE, 64);
    if (action === 'extract') return runExtract(invocation);
    if (action === 'erase') return runErase(invocation);
    throw new CliError('usage', USAGE, 64);
  },
};
