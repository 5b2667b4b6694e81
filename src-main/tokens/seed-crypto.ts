// Token seeds at rest: AES-256-GCM per seed, bound to the token's serial, under a data key from a pluggable source.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createPrivateFileOnce } from '../security/private-file';
import { dataKeyPath } from './data-key-location';

/** Where the 32-byte data key comes from: a key file (browser mode, CLI) or safeStorage (Electron). */
export type DataKeySource = () => Buffer;

export type SeedCryptoErrorCode =
  | 'bad-data-key'
  | 'seed-unreadable'
  | 'key-file-permissions'
  | 'key-file-owner'
  | 'key-file-not-regular'
  | 'key-file-corrupt'
  | 'key-file-conflict';

const swedishMessages: Record<SeedCryptoErrorCode, string> = {
  'bad-data-key': 'Datanyckeln för dosornas hemligheter har fel längd (ska vara 32 byte).',
  'seed-unreadable':
    'En dosas hemlighet kunde inte dekrypteras: fel datanyckel, ändrade data eller fel dosa.',
  'key-file-permissions':
    'Nyckelfilen får bara kunna läsas av ägaren. Rätta behörigheten (chmod 600) och försök igen.',
  'key-file-owner': 'Nyckelfilen ägs av en annan användare än den som kör programmet.',
  'key-file-not-regular': 'Nyckelfilen är inte en vanlig fil (t.ex. en symbolisk länk).',
  'key-file-corrupt': 'Nyckelfilen är skadad (ska innehålla exakt 32 byte).',
  'key-file-conflict':
    'Datamappen har en gammal nyckelfil som skiljer sig från stationens nyckelfil. Ta reda på vilken som öppnar dosornas hemligheter och ta bort den andra.',
};

export class SeedCryptoError extends Error {
  override readonly name = 'SeedCryptoError';
  readonly code: SeedCryptoErrorCode;

  /** `path` is the key file's location, never its content. */
  constructor(code: SeedCryptoErrorCode, path?: string) {
    super(path === undefined ? swedishMessages[code] : `${swedishMessages[code]} (${path})`);
    this.code = code;
  }
}

const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
// The first byte names the layout, so a later key rotation or cipher change can tell old blobs apart.
const BLOB_VERSION = 1;
const HEADER_BYTES = 1 + IV_BYTES;

function checkDataKey(key: Buffer): Buffer {
  if (key.length !== DATA_KEY_BYTES) throw new SeedCryptoError('bad-data-key');
  return key;
}

/** version ‖ IV ‖ ciphertext ‖ tag; the serial is the associated data, so a blob only opens for its own token. */
export function sealSeed(key: Buffer, serial: string, seed: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', checkDataKey(key), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(serial, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(seed), cipher.final()]);
  return Buffer.concat([Buffer.from([BLOB_VERSION]), iv, ciphertext, cipher.getAuthTag()]);
}

export function openSeed(key: Buffer, serial: string, blob: Uint8Array): Buffer {
  checkDataKey(key);
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length < HEADER_BYTES + TAG_BYTES || bytes[0] !== BLOB_VERSION) {
    throw new SeedCryptoError('seed-unreadable');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(1, HEADER_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(serial, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SeedCryptoError('seed-unreadable');
  }
}

/** The key file's name inside the data folder, where versions before the move kept it. */
export const DATA_KEY_FILE_NAME = 'seed.key';

/** The key in an existing key file, after checking it is a private regular file of 32 bytes. */
export function readExistingKeyFile(path: string): Buffer {
  const status = lstatSync(path);
  if (!status.isFile()) throw new SeedCryptoError('key-file-not-regular', path);
  // POSIX permission bits mean nothing on Windows, where Electron seals the key with safeStorage instead.
  if (process.platform !== 'win32') {
    if ((status.mode & 0o077) !== 0) throw new SeedCryptoError('key-file-permissions', path);
    if (process.getuid && status.uid !== process.getuid()) throw new SeedCryptoError('key-file-owner', path);
  }
  const key = readFileSync(path);
  if (key.length !== DATA_KEY_BYTES) throw new SeedCryptoError('key-file-corrupt', path);
  return key;
}

/** Writes a key beside the target and links it into place, so a reader never sees half a key. */
function createKeyFile(path: string, key: Buffer = randomBytes(DATA_KEY_BYTES)): void {
  createPrivateFileOnce(path, key);
}

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** Returns the key at `path`, creating it (32 random bytes, mode 0600, its folder 0700) on first use; refuses a key others can read. */
export function loadOrCreateDataKey(path: string): Buffer {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    return readExistingKeyFile(path);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  createKeyFile(path);
  return readExistingKeyFile(path);
}

/** Moves a key file an older version left in the data folder to `path`: copied whole first, then removed from the folder. */
export function moveKeyOutOfDataFolder(dataDir: string, path: string): void {
  const legacy = join(dataDir, DATA_KEY_FILE_NAME);
  let key: Buffer;
  try {
    key = readExistingKeyFile(legacy);
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  createKeyFile(path, key);
  // createKeyFile keeps a key already in place; only the same key may replace the one in the data folder
  if (!readExistingKeyFile(path).equals(key)) throw new SeedCryptoError('key-file-conflict', legacy);
  unlinkSync(legacy);
}

/** A DataKeySource over the data folder's key file outside it (see data-key-location), read once and then kept in memory. */
export function keyFileDataKeySource(dataDir: string, keyPath?: string): DataKeySource {
  let key: Buffer | undefined;
  return () => {
    if (key) return key;
    const path = keyPath ?? dataKeyPath(dataDir);
    moveKeyOutOfDataFolder(dataDir, path);
    return (key = loadOrCreateDataKey(path));
  };
}
