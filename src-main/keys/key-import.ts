// A station takes the region's data key: it becomes the station's key file, unless the station's own key still holds the register's data.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { readExistingKeyFile } from '../tokens/seed-crypto';
import { beforeImportKeyPath, checkReplaceable, discardStagedKey, nextKeyPath, replaceKeyFile, writeNewKeyFile } from './key-file';
import { keyInUse, type KeyUsage } from './key-usage';

export class KeyImportError extends Error {
  readonly code = 'station-key-in-use';
  constructor(readonly usage: KeyUsage, stationKeyFile: string) {
    const held = `${usage.tokenSeeds} dosor / tokens, ${usage.staffSeeds} personalkonton / staff accounts${usage.auditTrail ? ', revisionsloggen / the audit trail' : ''}`;
    super(
      `Stationen har redan en annan nyckel (${stationKeyFile}) och registret har data under den (${held}); inget ändrades. ` +
        'Är detta regionens register är stationens nyckel regionens nyckel: ge den filen till de andra stationerna i stället. ' +
        'Ska registret byta nyckel: kör "cli keys rotate" här och importera den nya nyckeln på alla andra stationer.\n' +
        `This station already has another key (${stationKeyFile}) and the register holds data under it (${held}); nothing was changed. ` +
        "If this is the region's register, this station's key is the region's key: give that file to the other stations instead. " +
        'To change the register\'s key, run "cli keys rotate" here and import the new key at every other station.',
    );
    this.name = 'KeyImportError';
  }
}

export interface KeyImport {
  keyFile: string;
  /** Where the station's earlier key was kept, or null when it had none or already held the region's key. */
  previousKeyFile: string | null;
  alreadyHeld: boolean;
}

/** `usageOf` is asked only when the station has a different key of its own: what the register holds under it. */
export async function importRegionKey(regionKeyFile: string, stationKeyFile: string, usageOf: (key: Buffer) => Promise<KeyUsage>): Promise<KeyImport> {
  const regionKey = readExistingKeyFile(regionKeyFile);
  mkdirSync(dirname(stationKeyFile), { recursive: true, mode: 0o700 });
  if (!existsSync(stationKeyFile)) {
    writeNewKeyFile(stationKeyFile, regionKey);
    return { keyFile: stationKeyFile, previousKeyFile: null, alreadyHeld: false };
  }
  const stationKey = readExistingKeyFile(stationKeyFile);
  if (stationKey.equals(regionKey)) return { keyFile: stationKeyFile, previousKeyFile: null, alreadyHeld: true };
  const usage = await usageOf(stationKey);
  if (keyInUse(usage)) throw new KeyImportError(usage, stationKeyFile);
  const keepAs = beforeImportKeyPath(stationKeyFile);
  checkReplaceable(stationKeyFile, keepAs);
  const staged = nextKeyPath(stationKeyFile);
  writeNewKeyFile(staged, regionKey);
  try {
    replaceKeyFile(stationKeyFile, staged, keepAs);
  } catch (error) {
    discardStagedKey(staged);
    throw error;
  }
  return { keyFile: stationKeyFile, previousKeyFile: keepAs, alreadyHeld: false };
}
