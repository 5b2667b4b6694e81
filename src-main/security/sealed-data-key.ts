// The kiosk's data key for token and staff OTP seeds, sealed with the OS keychain through Electron's safeStorage.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { DataKeySource } from '../tokens/seed-crypto';
import { sealingRefusal } from './sealing-backend';

const SEALED_KEY_FILE = 'seed.key.sealed';

/** A database copied off the kiosk reveals no seed: the key that opens them only unseals on this user's keychain. */
export function sealedDataKeySource(userDataDir: string): DataKeySource {
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
    if (existsSync(file)) {
      key = Buffer.from(safeStorage.decryptString(readFileSync(file)), 'base64');
    } else {
      key = randomBytes(32);
      writeFileSync(file, safeStorage.encryptString(key.toString('base64')), { mode: 0o600, flag: 'wx' });
    }
    return key;
  };
}
