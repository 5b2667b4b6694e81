import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DATA_KEY_FILE_NAME,
  SeedCryptoError,
  keyFileDataKeySource,
  loadOrCreateDataKey,
  openSeed,
  sealSeed,
} from '../../src-main/tokens/seed-crypto';
import type { SeedCryptoErrorCode } from '../../src-main/tokens/seed-crypto';
import { dataKeyPath, defaultKeyDir, KEY_DIR_ENV, STATION_ID_FILE } from '../../src-main/tokens/data-key-location';
import { sealingRefusal } from '../../src-main/security/sealing-backend';

const dataKey = randomBytes(32);
const seed = Buffer.from('12345678901234567890');

function expectSeedError(run: () => unknown, code: SeedCryptoErrorCode): SeedCryptoError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SeedCryptoError);
  const error = caught as SeedCryptoError;
  expect(error.code).toBe(code);
  expect(error.message).not.toContain(dataKey.toString('hex'));
  expect(error.message).not.toContain(seed.toString('latin1'));
  return error;
}

describe('sealed seeds', () => {
  it('open again to the same seed for the same serial', () => {
    const blob = sealSeed(dataKey, 'KS000001', seed);
    expect(openSeed(dataKey, 'KS000001', blob)).toEqual(seed);
  });

  it('never show the seed and differ every time (random IV)', () => {
    const first = sealSeed(dataKey, 'KS000001', seed);
    const second = sealSeed(dataKey, 'KS000001', seed);
    expect(first.equals(second)).toBe(false);
    expect(first.includes(seed)).toBe(false);
    expect(first.length).toBe(1 + 12 + seed.length + 16);
  });

  it('do not open for another token, even with the right key', () => {
    const blob = sealSeed(dataKey, 'KS000001', seed);
    expectSeedError(() => openSeed(dataKey, 'KS000002', blob), 'seed-unreadable');
  });

  it('do not open under another key', () => {
    const blob = sealSeed(dataKey, 'KS000001', seed);
    expectSeedError(() => openSeed(randomBytes(32), 'KS000001', blob), 'seed-unreadable');
  });

  it('detect any changed byte, a short blob or an unknown layout version', () => {
    const blob = sealSeed(dataKey, 'KS000001', seed);
    for (let position = 0; position < blob.length; position++) {
      const changed = Buffer.from(blob);
      changed[position]! ^= 0x01;
      expectSeedError(() => openSeed(dataKey, 'KS000001', changed), 'seed-unreadable');
    }
    expectSeedError(() => openSeed(dataKey, 'KS000001', blob.subarray(0, 28)), 'seed-unreadable');
  });

  it('open from a Uint8Array view into a larger buffer', () => {
    const blob = sealSeed(dataKey, 'KS000001', seed);
    const larger = new Uint8Array(blob.length + 10);
    larger.set(blob, 5);
    expect(openSeed(dataKey, 'KS000001', larger.subarray(5, 5 + blob.length))).toEqual(seed);
  });

  it('refuse a data key that is not 32 bytes', () => {
    expectSeedError(() => sealSeed(randomBytes(16), 'KS000001', seed), 'bad-data-key');
    expectSeedError(() => openSeed(randomBytes(31), 'KS000001', sealSeed(dataKey, 'KS000001', seed)), 'bad-data-key');
  });
});

describe('data key file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kortstation-seed-key-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is created once with 32 random bytes, mode 0600 in a folder of mode 0700, and then reused', () => {
    const path = join(dir, 'nested', 'keys', 'station.key');
    const key = loadOrCreateDataKey(path);
    expect(key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'nested', 'keys')).mode & 0o777).toBe(0o700);
    expect(readFileSync(path).equals(key)).toBe(true);
    expect(loadOrCreateDataKey(path).equals(key)).toBe(true);
    expect(loadOrCreateDataKey(join(dir, 'other.key')).equals(key)).toBe(false);
  });

  it('is refused when group or others may read it, naming the file but not the key', () => {
    const path = join(dir, DATA_KEY_FILE_NAME);
    const key = loadOrCreateDataKey(path);
    for (const mode of [0o640, 0o604, 0o660]) {
      chmodSync(path, mode);
      const error = expectSeedError(() => loadOrCreateDataKey(path), 'key-file-permissions');
      expect(error.message).toContain(path);
      expect(error.message).not.toContain(key.toString('base64'));
    }
    chmodSync(path, 0o400);
    expect(loadOrCreateDataKey(path).equals(key)).toBe(true);
  });

  it('is refused when it has the wrong size or is a symbolic link', () => {
    const path = join(dir, DATA_KEY_FILE_NAME);
    writeFileSync(path, randomBytes(16), { mode: 0o600 });
    expectSeedError(() => loadOrCreateDataKey(path), 'key-file-corrupt');
    rmSync(path);
    const elsewhere = join(dir, 'elsewhere.key');
    writeFileSync(elsewhere, randomBytes(32), { mode: 0o600 });
    symlinkSync(elsewhere, path);
    expectSeedError(() => loadOrCreateDataKey(path), 'key-file-not-regular');
  });

  it('backs a DataKeySource that reads the file once', () => {
    const path = join(dir, 'keys', 'station.key');
    const source = keyFileDataKeySource(dir, path);
    const key = source();
    rmSync(path);
    expect(source().equals(key)).toBe(true);
    expect(openSeed(source(), 'KS1', sealSeed(key, 'KS1', seed))).toEqual(seed);
  });
});

describe('where the data key file lives', () => {
  let root: string;
  let dataDir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kortstation-key-home-'));
    dataDir = join(root, 'data');
    mkdirSync(dataDir);
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("is the user's config folder by default, or the folder KORTSTATION_KEY_DIR names, never the data folder", () => {
    expect(defaultKeyDir({ HOME: '/home/kiosk', XDG_CONFIG_HOME: '/home/kiosk/.config' })).toBe('/home/kiosk/.config/kortstation/keys');
    expect(defaultKeyDir({ XDG_CONFIG_HOME: '/etc/xdg-kiosk', [KEY_DIR_ENV]: '/srv/keys' })).toBe('/srv/keys');
    const keyDir = join(root, 'keys');
    const path = dataKeyPath(dataDir, keyDir);
    expect(path).toBe(join(keyDir, `${readFileSync(join(dataDir, STATION_ID_FILE), 'utf8')}.key`));
    // the data folder keeps only its id, which opens nothing, and finds the same key after a move
    expect(statSync(join(dataDir, STATION_ID_FILE)).mode & 0o777).toBe(0o600);
    expect(dataKeyPath(dataDir, keyDir)).toBe(path);
    keyFileDataKeySource(dataDir, path)();
    expect(readdirSync(dataDir)).toEqual([STATION_ID_FILE]);
  });

  it('moves a key an older version left in the data folder, so seeds sealed under it still open', () => {
    const legacy = join(dataDir, DATA_KEY_FILE_NAME);
    writeFileSync(legacy, dataKey, { mode: 0o600 });
    const sealed = sealSeed(dataKey, 'KS1', seed);
    const path = join(root, 'keys', 'station.key');
    expect(openSeed(keyFileDataKeySource(dataDir, path)(), 'KS1', sealed)).toEqual(seed);
    expect(existsSync(legacy)).toBe(false);
    expect(readFileSync(path).equals(dataKey)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses to choose between a key in the data folder and a different one outside it', () => {
    const legacy = join(dataDir, DATA_KEY_FILE_NAME);
    writeFileSync(legacy, dataKey, { mode: 0o600 });
    const path = join(root, 'keys', 'station.key');
    loadOrCreateDataKey(path);
    expectSeedError(() => keyFileDataKeySource(dataDir, path)(), 'key-file-conflict');
    expect(readFileSync(legacy).equals(dataKey)).toBe(true);
  });
});

describe('sealing the data key with safeStorage', () => {
  it("refuses Linux's basic_text fallback, an unknown backend and no keychain at all", () => {
    expect(sealingRefusal({ platform: 'linux', encryptionAvailable: true, backend: 'basic_text' })).toMatch(/basic_text/);
    expect(sealingRefusal({ platform: 'linux', encryptionAvailable: true, backend: 'unknown' })).not.toBeNull();
    expect(sealingRefusal({ platform: 'linux', encryptionAvailable: false, backend: 'gnome_libsecret' })).not.toBeNull();
    expect(sealingRefusal({ platform: 'win32', encryptionAvailable: false })).not.toBeNull();
  });

  it('accepts a real keychain', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'] as const) expect(sealingRefusal({ platform: 'linux', encryptionAvailable: true, backend })).toBeNull();
    expect(sealingRefusal({ platform: 'darwin', encryptionAvailable: true })).toBeNull();
    expect(sealingRefusal({ platform: 'win32', encryptionAvailable: true })).toBeNull();
  });
});
