// `cli retention run [--dry-run]`: the retention rules applied now (or only counted), printing what each rule removed.
import { RETENTION_RULE_IDS } from '@shared/domain/retention';
import { runRetention } from '../privacy/retention';
import { CliError, type CliCommand } from './command';
import { withRegister } from './database';
import { cliCaller } from './identity';

const USAGE = 'Usage: cli retention run [--dry-run] [--data DIR | --database URL] [--json]';

export const retentionCommand: CliCommand = {
  summary: 'retention run [--dry-run]: apply the retention rules (gallring) now, or count what they would remove',
  options: { 'dry-run': { type: 'boolean', default: false } },
  async run(invocation) {
    if (invocation.positionals[0] !== 'run' || invocation.positionals.length > 1) throw new CliError('usage', USAGE, 64);
    const dryRun = invocation.values['dry-run'] === true;
    const run = await withRegister(invocation, async (db) => runRetention(db, await cliCaller(db), dryRun));
    const lines = RETENTION_RULE_IDS.map((rule) => `  ${rule}: ${run.removed[rule]}`);
    return { output: run, text: [dryRun ? 'Dry run, nothing removed; due now:' : 'Removed:', ...lines].join('\n') };
  },
};
