// Which key a kiosk seals at start: the region's key file at first start, its sealed key after, never a silent swap.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseKioskDataKey } from '../../src-main/security/kiosk-data-key';

function regionKeyFile(key: Buffer, mode = 0o600): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kortstation-region-key-')), 'region.key');
  writeFileSync(file, key, { mode });
  return file;
}

describe('the kiosk data key', () => {
  it('seals the region key named at first start', () => {
    const region = randomBytes(32);
    const chosen = chooseKioskDataKey(undefined, regionKeyFile(region));
    expect(chosen.seal).toBe(true);
    expect(chosen.key.equals(region)).toBe(true);
  });

  it('seals a random key of its own when no region key is named', () => {
    const first = chooseKioskDataKey(undefined, undefined);
    expect(first.seal).toBe(true);
    expect(first.key.length).toBe(32);
    expect(chooseKioskDataKey(undefined, undefined).key.equals(first.key)).toBe(false);
  });

  it('keeps the sealed key, also when the same region key is named again', () => {
    const sealed = randomBytes(32);
    expect(chooseKioskDataKey(sealed, undefined)).toEqual({ key: sealed, seal: false });
    expect(chooseKioskDataKey(sealed, regionKeyFile(sealed))).toEqual({ key: sealed, seal: false });
  });

  it('starts on the sealed key after the region key file was taken away', () => {
    const sealed = randomBytes(32);
    expect(chooseKioskDataKey(sealed, join(tmpdir(), 'kortstation-no-such-dir', 'region.key'))).toEqual({ key: sealed, seal: false });
    expect(() => chooseKioskDataKey(undefined, join(tmpdir(), 'kortstation-no-such-dir', 'region.key'))).toThrow(/ENOENT/);
  });

  it('refuses a region key other than the sealed one, in Swedish and English', () => {
    expect(() => chooseKioskDataKey(randomBytes(32), regionKeyFile(randomBytes(32)))).toThrow(/annan förseglad datanyckel.*other than the region's key/s);
  });

  it('refuses a region key file others can read', () => {
    expect(() => chooseKioskDataKey(undefined, regionKeyFile(randomBytes(32), 0o644))).toThrow(/chmod 600/);
  });
});
