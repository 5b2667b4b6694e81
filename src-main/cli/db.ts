// `cli db migrate`: builds or upgrades the register, the station's SQLite file or the region's PostgreSQL (--database URL), and says how far it is.
import { CliError, type CliCommand } from './command';
import { withRegister } from './database';

export const dbCommand: CliCommand = {
  summary: 'db migrate [--database URL]: build or upgrade the register (the SQLite file of --data, or the region database)',
  async run(invocation) {
    if (invocation.positionals[0] !== 'migrate' || invocation.positionals.length > 1) throw new CliError('usage', 'Usage: cli db migrate [--database URL | --data DIR] [--json]', 64);
    const { engine, appliedMigrations, location } = await withRegister(invocation, async (db) => db);
    return {
      output: { engine, appliedMigrations },
      text: `${location}: ${appliedMigrations} migrations applied (${engine === 'postgres' ? 'PostgreSQL' : 'SQLite'}).`,
    };
  },
};
