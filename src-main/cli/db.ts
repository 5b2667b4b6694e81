// `cli db migrate`: builds or upgrades the register, the station's SQLite file or the region's PostgreSQL (--database URL), and says how far it is.
import { join } from 'node:path';
import { withoutPassword } from '../db/location';
import { openAnyDatabase } from '../db/open';
import { DATABASE_FILE } from '../station';
import { CliError, type CliCommand } from './command';

export const dbCommand: CliCommand = {
  summary: 'db migrate [--database URL]: build or upgrade the register (the SQLite file of --data, or the region database)',
  takesDatabaseUrl: true,
  async run({ positionals, dataDir, database }) {
    if (positionals[0] !== 'migrate' || positionals.length > 1) throw new CliError('usage', 'Usage: cli db migrate [--database URL | --data DIR] [--json]', 64);
    const location = database ?? join(dataDir, DATABASE_FILE);
    const opened = await openAnyDatabase(location);
    await opened.close();
    const shown = opened.engine === 'postgres' ? withoutPassword(location) : location;
    return {
      output: { engine: opened.engine, appliedMigrations: opened.appliedMigrations },
      text: `${shown}: ${opened.appliedMigrations} migrations applied (${opened.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'}).`,
    };
  },
};
