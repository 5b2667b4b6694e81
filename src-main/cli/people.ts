// `cli people import FILE [--dry-run]` and `cli people template FILE.xlsx|FILE.csv`: bulk people from the template.
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { ImportReport } from '@shared/contract';
import { FULL_SCOPE } from '../organisation/organisation';
import { parsePeopleFile } from '../people/import';
import { importPeopleAudited, previewImport } from '../people/import-apply';
import { templateFile } from '../people/template';
import { withRegister } from './database';
import { CliError, type CliCommand, type CliInvocation, type CliResult } from './command';
import { cliCaller } from './identity';
import { withProgressLine } from './progress-line';

const USAGE = 'Usage: cli people import FILE [--dry-run] [--data DIR] [--json] | cli people template FILE.xlsx|FILE.csv';

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
  summary: 'people import FILE [--dry-run] | people template FILE.xlsx|FILE.csv: people from the import template',
  options: { 'dry-run': { type: 'boolean', default: false } },
  async run(invocation) {
    const { positionals, values } = invocation;
    const [action, file] = positionals;
    if (action === 'import' && file) return runImport(file, invocation, values['dry-run'] === true);
    if (action === 'template' && file) return writeTemplate(file);
    throw new CliError('usage', USAGE, 64);
  },
};
