// The kiosk's data key for token and staff OTP seeds, sealed with the OS keychain through Electron's safeStorage.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { DataKeySource } from '../tokens/seed-crypto';
import { chooseKioskDataKey, REGION_KEY_FILE_ENV } from './kiosk-data-key';
import { sealingRefusal } from './sealing-backend';

const SEALED_KEY_FILE = 'seed.key.sealed';

/** A database copied off the kiosk reveals no seed: the key that opens them only unseals on this user's keychain. */
export function sealedDataKeySource(userDataDir: string, regionKeyFile = process.env[REGION_KEY_FILE_ENV]): DataKeySource {
  let key: Buffer | undefined;
  return () => {
    if (key) return key;
    const refusal = sealingRefusal({
      platform: process.platform,
      encryptionAvailable: safeStorage.isEncryptionAvailable(),
      backend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined,
    });
    if (refusal) throw new Error(refusal);
    const file = join(userDataDir, SEALED_KEY_FILE);
    const sealed = existsSync(file) ? Buffer.from(safeStorage.decryptString(readFileSync(file)), 'base64') : undefined;
    const chosen = chooseKioskDataKey(sealed, regionKeyFile);
    if (chosen.seal) writeFileSync(file, safeStorage.encryptString(chosen.key.toString('base64')), { mode: 0o600, flag: 'wx' });
    return (key = chosen.key);
  };
}
