// `cli station join --name NAME [--organisation NAME] [--address TEXT]`: a kiosk's data folder becomes a station of the region database.
import { AppError } from '../app-error';
import { isPostgresUrl } from '../db/location';
import { joinRegion } from '../organisation/station-identity';
import { CliError, type CliCommand, type CliInvocation, type CliResult } from './command';
import { withRegister } from './database';
import { cliActor } from './identity';

const USAGE = 'Usage: cli station join --name NAME [--organisation NAME] [--address TEXT] --data DIR --database URL [--json]';

const text = (value: CliInvocation['values'][string]): string | undefined => (typeof value === 'string' ? value : undefined);

async function join(invocation: CliInvocation): Promise<CliResult> {
  const name = text(invocation.values.name);
  if (!name?.trim()) throw new CliError('usage', `${USAGE}\nGe stationens namn med --name, t.ex. --name "Kortstationen Sahlgrenska". / Give the station's name with --name.`, 64);
  // the SQLite file is one station, named at first run; only a shared register needs each kiosk to say who it is
  if (invocation.database === undefined || !isPostgresUrl(invocation.database)) {
    throw new CliError('usage', 'station join ansluter till regiondatabasen: ange --database postgres://… (eller KORTSTATION_DATABASE_URL). / station join is for the region database: give --database.', 64);
  }
  const organisation = text(invocation.values.organisation);
  const address = text(invocation.values.address);
  try {
    const joined = await withRegister(invocation, (db) => joinRegion(db, invocation.dataDir, { name, ...(organisation ? { organisation } : {}), ...(address ? { address } : {}) }, cliActor()));
    return {
      output: joined,
      text: joined.registered
        ? `Stationen "${joined.name}" är registrerad i regionen; ${invocation.dataDir} är nu den stationen. / Station "${joined.name}" registered; this data folder is that station.`
        : `Stationen "${joined.name}" fanns redan i regionen; ${invocation.dataDir} är nu en kiosk på den. / Station "${joined.name}" was registered already; this data folder is a kiosk of it.`,
    };
  } catch (error) {
    if (error instanceof AppError) throw new CliError(error.code, error.message, 1);
    throw error;
  }
}

export const stationCommand: CliCommand = {
  summary: 'join the region database as a station (station join --name NAME)',
  options: { name: { type: 'string' }, organisation: { type: 'string' }, address: { type: 'string' } },
  async run(invocation) {
    if (invocation.positionals[0] === 'join') return join(invocation);
    throw new CliError('usage', USAGE, 64);
  },
};
