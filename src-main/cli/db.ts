// `cli db migrate` builds or upgrades the register; `cli db copy --from DIR --to URL` copies a station's SQLite register into the region database.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { auditKeyFromDataKey } from '../audit/key';
import { copyStation, CopyRefusal, type CopyReport } from '../db/copy';
import { DATABASE_FILE, hasPassword, isPostgresUrl, PASSWORD_ON_COMMAND_LINE } from '../db/location';
import { openDatabase } from '../db/open';
import { stationNameReader } from '../organisation/station-label';
import { keyFileDataKeySource } from '../tokens/seed-crypto';
import { CliError, type CliCommand, type CliInvocation, type CliResult } from './command';
import { withRegister } from './database';
import { cliActor } from './identity';

const USAGE = `Usage: cli db migrate [--database URL | --data DIR] [--json]
       cli db copy --from DATA_DIR [--to postgres://…] [--json]`;

async function migrate(invocation: CliInvocation): Promise<CliResult> {
  const { engine, appliedMigrations, location } = await withRegister(invocation, async (db) => db);
  return {
    output: { engine, appliedMigrations },
    text: `${location}: ${appliedMigrations} migrations applied (${engine === 'postgres' ? 'PostgreSQL' : 'SQLite'}).`,
  };
}

function describeCopy(report: CopyReport, to: string): string {
  if (report.conflicts.length > 0) {
    const lines = report.conflicts.map((conflict) => `  ${conflict.kind} ${conflict.personnummer ?? conflict.serial ?? conflict.cardNumber ?? conflict.reference ?? conflict.name ?? conflict.month ?? ''}: ${conflict.reason}${conflict.fields ? ` (${conflict.fields.join(', ')})` : ''}${conflict.regionId ? `, region id ${conflict.regionId}` : ''}`);
    return [`Nothing was copied: ${report.conflicts.length} conflicts with ${to}.`, ...lines].join('\n');
  }
  return `Copied into ${to}: ${report.people} people (${report.peopleMerged} already there), ${report.orders} card orders, ${report.tokens} tokens, ${report.auditRows} audit entries.`;
}

async function copy(invocation: CliInvocation): Promise<CliResult> {
  const from = invocation.values.from;
  const to = typeof invocation.values.to === 'string' ? invocation.values.to : invocation.database;
  if (typeof from !== 'string' || to === undefined) throw new CliError('usage', USAGE, 64);
  if (!isPostgresUrl(to)) throw new CliError('usage', '--to takes the region database as a postgres:// URL.', 64);
  if (typeof invocation.values.to === 'string' && hasPassword(to)) throw new CliError('usage', PASSWORD_ON_COMMAND_LINE, 64);
  const stationFile = join(from, DATABASE_FILE);
  // opening a path that is not there would create an empty register and copy nothing
  if (!existsSync(stationFile)) throw new CliError('no-station', `${from} holds no station register (${DATABASE_FILE}).`, 1);
  // both are opened under the station's key: the copy refuses when it is not the region's
  const dataKey = keyFileDataKeySource(from);
  const auditKey = auditKeyFromDataKey(dataKey);
  const source = await openDatabase(stationFile, { auditKey });
  try {
    const target = await openDatabase(to, { auditKey });
    try {
      const by = { station: await stationNameReader(source)(), actor: cliActor(), now: new Date() };
      const report = await copyStation(source, target, { dataKey, by });
      return { output: report, text: describeCopy(report, target.location), exitCode: report.conflicts.length > 0 ? 1 : 0 };
    } finally {
      await target.close();
    }
  } catch (error) {
    if (error instanceof CopyRefusal) throw new CliError(error.code, error.message, 1);
    throw error;
  } finally {
    await source.close();
  }
}

export const dbCommand: CliCommand = {
  summary: 'db migrate [--database URL]: build or upgrade the register | db copy --from DIR --to URL: copy a station into the region database',
  options: { from: { type: 'string' }, to: { type: 'string' } },
  async run(invocation) {
    const [action, ...rest] = invocation.positionals;
    if (rest.length > 0) throw new CliError('usage', USAGE, 64);
    if (action === 'migrate') return migrate(invocation);
    if (action === 'copy') return copy(invocation);
    throw new CliError('usage', USAGE, 64);
  },
};
