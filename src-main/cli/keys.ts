// `cli keys create FILE` (region administrator), `keys import FILE` (a station takes the region's key), `keys rotate` (a new key for the whole register).
import { openDatabase, type OpenRegister } from '../db/open';
import { KeyFileError, newDataKey, previousKeyPath, writeNewKeyFile } from '../keys/key-file';
import { importRegionKey, KeyImportError } from '../keys/key-import';
import { auditKeyOf, keyUsage } from '../keys/key-usage';
import { KeyRotationError, reencryptRegister, rotateKeyFile } from '../keys/rotation';
import { dataKeyPath } from '../tokens/data-key-location';
import { keyFileDataKeySource, moveKeyOutOfDataFolder, SeedCryptoError } from '../tokens/seed-crypto';
import { CliError, type CliCommand, type CliInvocation, type CliResult } from './command';
import { registerLocation, registerStation } from './database';
import { cliCaller } from './identity';

const USAGE = `Usage: cli keys create FILE
       cli keys import FILE [--data DIR | --database URL]
       cli keys rotate [--data DIR | --database URL] [--json]`;

/** The register opened with the audit key of `dataKey`, whatever key file the station holds right now. */
async function withRegisterUnder<T>(invocation: CliInvocation, dataKey: Buffer, work: (db: OpenRegister) => Promise<T>): Promise<T> {
  const auditKey = auditKeyOf(dataKey);
  const db = await openDatabase(registerLocation(invocation), { auditKey: () => auditKey, ...registerStation(invocation) });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** The station's key file, moved out of the data folder first if an older version left it there. */
function stationKeyFile(dataDir: string): string {
  const path = dataKeyPath(dataDir);
  moveKeyOutOfDataFolder(dataDir, path);
  return path;
}

function create(file: string): CliResult {
  writeNewKeyFile(file, newDataKey());
  return { output: { keyFile: file }, text: `Ny regionnyckel i ${file} (endast läsbar för dig). Importera den på varje station: cli keys import ${file}\nNew region key in ${file} (readable by you only). Import it at every station: cli keys import ${file}` };
}

async function importKey(file: string, invocation: CliInvocation): Promise<CliResult> {
  const imported = await importRegionKey(file, stationKeyFile(invocation.dataDir), (key) => withRegisterUnder(invocation, key, (db) => keyUsage(db, key)));
  const kept = imported.previousKeyFile ? `\nDen förra nyckeln finns i ${imported.previousKeyFile} tills du tar bort den. / The previous key is kept in ${imported.previousKeyFile} until you delete it.` : '';
  const text = imported.alreadyHeld
    ? `Stationen har redan regionens nyckel (${imported.keyFile}). / The station already holds the region's key (${imported.keyFile}).`
    : `Regionens nyckel är nu stationens nyckel: ${imported.keyFile}. / The region's key is now this station's key: ${imported.keyFile}.${kept}`;
  return { output: imported, text };
}

async function rotate(invocation: CliInvocation): Promise<CliResult> {
  const keyFile = stationKeyFile(invocation.dataDir);
  // a station that never had a key gets one first, as its services would
  keyFileDataKeySource(invocation.dataDir, keyFile)();
  const counts = await rotateKeyFile(keyFile, (oldKey, newKey) => withRegisterUnder(invocation, oldKey, async (db) => reencryptRegister(db, oldKey, newKey, await cliCaller(db))));
  return {
    output: { ...counts, keyFile },
    text:
      `Ny nyckel i ${keyFile}: ${counts.seeds} dosor, ${counts.staffSeeds} personalkonton och ${counts.auditRows} rader i revisionsloggen är omkrypterade. Den förra nyckeln finns i ${previousKeyPath(keyFile)} tills du tar bort den. Varje annan station i regionen måste nu importera den nya nyckeln (cli keys import).\n` +
      `New key in ${keyFile}: ${counts.seeds} token seeds, ${counts.staffSeeds} staff accounts and ${counts.auditRows} audit rows re-encrypted. The previous key is kept in ${previousKeyPath(keyFile)} until you delete it. Every other station of the region must now import the new key (cli keys import).`,
  };
}

async function refusalsAsCliErrors(work: () => CliResult | Promise<CliResult>): Promise<CliResult> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof KeyFileError || error instanceof KeyImportError || error instanceof KeyRotationError || error instanceof SeedCryptoError) throw new CliError(error.code, error.message, 1);
    throw error;
  }
}

export const keysCommand: CliCommand = {
  summary: 'keys create FILE | import FILE | rotate: the region\'s data key for seeds and the audit trail',
  async run(invocation) {
    const [action, file] = invocation.positionals;
    if (action === 'create' && file) return refusalsAsCliErrors(() => create(file));
    if (action === 'import' && file) return refusalsAsCliErrors(() => importKey(file, invocation));
    if (action === 'rotate' && !file) return refusalsAsCliErrors(() => rotate(invocation));
    throw new CliError('usage', USAGE, 64);
  },
};
