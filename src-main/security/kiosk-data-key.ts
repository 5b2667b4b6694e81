// Which data key a kiosk seals on its keychain: the region's key file named at first start, else a key of its own.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readExistingKeyFile } from '../tokens/seed-crypto';

/** Names the region's key file for a kiosk's first start (kept on a removable disk or the administrator's share, never in the data folder). */
export const REGION_KEY_FILE_ENV = 'KORTSTATION_REGION_KEY_FILE';

export interface KioskDataKey {
  key: Buffer;
  /** True when the key is not sealed yet and must be. */
  seal: boolean;
}

/** The key sealed already wins; a region key that differs from it is refused, since the register's seeds may be under the sealed one. */
export function chooseKioskDataKey(sealedKey: Buffer | undefined, regionKeyFile: string | undefined): KioskDataKey {
  // once sealed, the file may go back to the administrator: a variable left set then names nothing
  const regionKey = regionKeyFile && (!sealedKey || existsSync(regionKeyFile)) ? readExistingKeyFile(regionKeyFile) : undefined;
  if (sealedKey && regionKey && !sealedKey.equals(regionKey)) {
    throw new Error(
      `Kiosken har redan en annan förseglad datanyckel än regionens nyckel i ${regionKeyFile}; den byts inte ut vid start. Starta utan ${REGION_KEY_FILE_ENV}, eller flytta bort den förseglade nyckeln om registret inte har data under den. / ` +
        `The kiosk already has a sealed data key other than the region's key in ${regionKeyFile}; it is not replaced at start. Start without ${REGION_KEY_FILE_ENV}, or move the sealed key away if the register holds no data under it.`,
    );
  }
  if (sealedKey) return { key: sealedKey, seal: false };
  return { key: regionKey ?? randomBytes(32), seal: true };
}
