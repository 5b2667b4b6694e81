// `cli audit verify` checks the hash chain (exit 1 when broken); `cli audit export FILE` writes it as CSV for Excel.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type OpenDatabase } from '../db/open';
import { AuditInputError, exportAuditCsv, verifyAudit, type AuditFilters } from '../services/audit';
import { DATABASE_FILE } from '../station';
import { CliError, type CliCommand, type CliInvocation, type CliResult } from './command';

const USAGE = 'Usage: cli audit verify [--json] | cli audit export FILE [--from DATE] [--to DATE (exclusive)] [--action CODE] [--data DIR]';

// verify needs the synchronous better-sqlite3 handle, which withStationDatabase does not hand out
async function withDatabase<T>(dataDir: string, work: (database: OpenDatabase) => Promise<T>): Promise<T> {
  const database = await openDatabase(join(dataDir, DATABASE_FILE));
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

function verify(dataDir: string): Promise<CliResult> {
  return withDatabase(dataDir, async ({ sqlite }) => {
    const result = verifyAudit(sqlite);
    const text = result.ok
      ? `The audit trail is intact: ${result.rows} entries.`
      : `The audit trail was changed: entry ${result.firstBadRow} is altered, missing or out of place (${result.rows} entries).`;
    return { output: result, text, exitCode: result.ok ? 0 : 1 };
  });
}

function optionalString(value: CliInvocation['values'][string]): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

async function exportTo(file: string, { values, dataDir }: CliInvocation): Promise<CliResult> {
  const filters: AuditFilters = { from: optionalString(values.from), to: optionalString(values.to), action: optionalString(values.action) };
  try {
    const { csv, rows } = await withDatabase(dataDir, ({ db }) => exportAuditCsv(db, filters));
    try {
      writeFileSync(file, csv);
    } catch {
      throw new CliError('file-unwritable', `Cannot write ${file}.`, 1);
    }
    return { output: { file, rows }, text: `Wrote ${rows} audit entries to ${file}.` };
  } catch (error) {
    if (error instanceof AuditInputError) throw new CliError('usage', `${error.message}\n${USAGE}`, 64);
    throw error;
  }
}

export const auditCommand: CliCommand = {
  summary: 'audit verify | audit export FILE: check the audit hash chain, or export it as CSV',
  options: { from: { type: 'string' }, to: { type: 'string' }, action: { type: 'string' } },
  async run(invocation) {
    const [action, file] = invocation.positionals;
    if (action === 'verify') return verify(invocation.dataDir);
    if (action === 'export' && file) return exportTo(file, invocation);
    throw new CliError('usage', USAGE, 64);
  },
};
