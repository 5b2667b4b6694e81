import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('is created once with 32 random bytes, mode 0600, and then reused', () => {
    const keyDir = join(dir, 'nested', 'data');
    const key = loadOrCreateDataKey(keyDir);
    const path = join(keyDir, DATA_KEY_FILE_NAME);
    expect(key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path).equals(key)).toBe(true);
    expect(loadOrCreateDataKey(keyDir).equals(key)).toBe(true);
    expect(loadOrCreateDataKey(join(dir, 'other')).equals(key)).toBe(false);
  });

  it('is refused when group or others may read it, naming the file but not the key', () => {
    const key = loadOrCreateDataKey(dir);
    const path = join(dir, DATA_KEY_FILE_NAME);
    for (const mode of [0o640, 0o604, 0o660]) {
      chmodSync(path, mode);
      const error = expectSeedError(() => loadOrCreateDataKey(dir), 'key-file-permissions');
      expect(error.message).toContain(path);
      expect(error.message).not.toContain(key.toString('base64'));
    }
    chmodSync(path, 0o400);
    expect(loadOrCreateDataKey(dir).equals(key)).toBe(true);
  });

  it('is refused when it has the wrong size or is a symbolic link', () => {
    const path = join(dir, DATA_KEY_FILE_NAME);
    writeFileSync(path, randomBytes(16), { mode: 0o600 });
    expectSeedError(() => loadOrCreateDataKey(dir), 'key-file-corrupt');
    rmSync(path);
    const elsewhere = join(dir, 'elsewhere.key');
    writeFileSync(elsewhere, randomBytes(32), { mode: 0o600 });
    symlinkSync(elsewhere, path);
    expectSeedError(() => loadOrCreateDataKey(dir), 'key-file-not-regular');
  });

  it('backs a DataKeySource that reads the file once', () => {
    const source = keyFileDataKeySource(dir);
    const key = source();
    rmSync(join(dir, DATA_KEY_FILE_NAME));
    expect(source().equals(key)).toBe(true);
    expect(openSeed(source(), 'KS1', sealSeed(key, 'KS1', seed))).toEqual(seed);
  });
});
