// One data key for the region: stations import the administrator's key file, share seeds and one audit trail, and rotate the key all or nothing.
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src-main/audit/audit';
import { verifyAudit } from '../../src-main/audit/verify';
import { auditKeyFromDataKey } from '../../src-main/audit/key';
import type { Db } from '../../src-main/db/data-layer';
import { DATABASE_URL_ENV } from '../../src-main/db/location';
import { openDatabase, type OpenRegister } from '../../src-main/db/open';
import { checkStaffOtp, sealStaffSeed } from '../../src-main/staff/otp';
import { dataKeyPath } from '../../src-main/tokens/data-key-location';
import { verifyTotp } from '../../src-main/tokens/otp';
import { keyFileDataKeySource, openSeed, sealSeed } from '../../src-main/tokens/seed-crypto';
import { runCli, runCliAsync } from '../support/cli';
import { testEngine, testRegisterLocation } from '../support/register-location';

const opened: OpenRegister[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((register) => register.close()));
});

interface Station {
  name: string;
  dataDir: string;
  keyDir: string;
  keyFile: string;
  /** The register every station of the test shares. */
  location: string;
}

const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `kortstation-${prefix}-`));

/**
 * Two stations on one register, each with its own key folder. On PostgreSQL they have a data folder each and name the
 * region database; SQLite has no region database, so there the second station runs on the same data folder (and file).
 */
function region(): [Station, Station] {
  const first = tempDir('station-a');
  const location = testRegisterLocation(first);
  const station = (name: string, dataDir: string): Station => {
    const keyDir = tempDir(`keys-${name}`);
    return { name, dataDir, keyDir, keyFile: dataKeyPath(dataDir, keyDir), location };
  };
  return [station('A', first), station('B', testEngine === 'postgres' ? tempDir('station-b') : first)];
}

const stationEnv = (station: Station): NodeJS.ProcessEnv => ({ ...process.env, KORTSTATION_KEY_DIR: station.keyDir, ...(testEngine === 'postgres' ? { [DATABASE_URL_ENV]: station.location } : {}) });
const cli = (station: Station, args: string[]) => runCli([...args, '--json', '--data', station.dataDir], { env: stationEnv(station) });

const json = (result: { stdout: string }) => JSON.parse(result.stdout) as Record<string, unknown>;

/** The register as the station's services open it: the audit chained under the station's key file. */
async function openAs(station: Station): Promise<OpenRegister> {
  const register = await openDatabase(station.location, { auditKey: auditKeyFromDataKey(keyFileDataKeySource(station.dataDir, station.keyFile)) });
  opened.push(register);
  return register;
}

/** The station's first start: it makes a key of its own, as every station did before the region. */
const firstStart = (station: Station): Buffer => keyFileDataKeySource(station.dataDir, station.keyFile)();
const keyOf = (station: Station): Buffer => readFileSync(station.keyFile);

function createRegionKey(station: Station): string {
  const file = join(tempDir('region-admin'), 'region.key');
  const created = cli(station, ['keys', 'create', file]);
  expect(created.status, created.stdout + created.stderr).toBe(0);
  return file;
}

/** RFC 6238 with HMAC-SHA1 and 30-second steps, written out here so the check does not rest on the code under test. */
function totp(seed: Buffer, at: Date): string {
  const step = Buffer.alloc(8);
  step.writeBigUInt64BE(BigInt(Math.floor(at.getTime() / 1000 / 30)));
  const mac = createHmac('sha1', seed).update(step).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const NOW = new Date().toISOString();

async function addToken(db: Db, key: Buffer, serial: string, seed: Buffer): Promise<void> {
  await db.kysely
    .insertInto('token')
    .values({ serial, kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, t0: 0, drift: 0, counter: null, last_step: null, sealed_seed: sealSeed(key, serial, seed), manufacturer: null, category: null, state: 'in-stock', unit_id: null, station_id: null, person_id: null, issued_at: null, imported_at: NOW, state_changed_at: NOW })
    .execute();
}

async function addStaffWithOtp(db: Db, key: Buffer, seed: Buffer): Promise<number> {
  const id = await db.insert("INSERT INTO staff_account (username, display_name, role, created_at, updated_at) VALUES ('eva', 'Eva Ek', 'operator', ?, ?)", [NOW, NOW]);
  await db.run('UPDATE staff_account SET otp_seed = ? WHERE id = ?', [sealStaffSeed(() => key, id, seed), id]);
  return id;
}

const tokenBlob = async (db: Db, serial: string): Promise<Buffer> => Buffer.from((await db.value<Uint8Array>('SELECT sealed_seed FROM token WHERE serial = ?', [serial]))!);
const entry = (station: Station, action: string) => ({ station: `Station ${station.name}`, actor: '7', action, outcome: 'ok' as const });

/** Both stations on the region's key, a token and a staff account sealed under it, and audit rows from both. */
async function sharedRegister() {
  const [a, b] = region();
  const ownKeys = [firstStart(a), firstStart(b)];
  const regionKey = createRegionKey(a);
  for (const station of [a, b]) expect(cli(station, ['keys', 'import', regionKey]).status).toBe(0);
  // each station's own key, unused in the register, is kept beside the key file until the operator deletes it
  expect([a, b].map((station) => readFileSync(`${station.keyFile}.before-import`))).toEqual(ownKeys);
  const tokenSeed = randomBytes(20);
  const staffSeed = randomBytes(20);
  const dbA = await openAs(a);
  await addToken(dbA, keyOf(a), 'OATH-0001', tokenSeed);
  const staffId = await addStaffWithOtp(dbA, keyOf(a), staffSeed);
  await appendAudit(dbA, entry(a, 'token.imported'));
  const dbB = await openAs(b);
  await appendAudit(dbB, entry(b, 'token.issued'));
  return { a, b, regionKey, dbA, dbB, tokenSeed, staffSeed, staffId };
}

describe('the region key file', () => {
  it('is created 0600 with 32 bytes, never shown, and never overwritten', () => {
    const [a] = region();
    const file = createRegionKey(a);
    const key = readFileSync(file);
    expect(key.length).toBe(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = cli(a, ['keys', 'create', file]);
    expect(again.status).toBe(1);
    expect(json(again)).toMatchObject({ error: { code: 'key-file-exists' } });
    expect(readFileSync(file).equals(key)).toBe(true);
  });
});

describe('two stations after keys import', () => {
  it('open the same token seed and append to one audit trail that both verify', async () => {
    const { a, b, regionKey, dbB, tokenSeed } = await sharedRegister();
    expect(keyOf(a).equals(readFileSync(regionKey))).toBe(true);
    expect(keyOf(b).equals(readFileSync(regionKey))).toBe(true);
    expect(openSeed(keyOf(b), 'OATH-0001', await tokenBlob(dbB, 'OATH-0001')).equals(tokenSeed)).toBe(true);
    for (const station of [a, b]) expect(json(cli(station, ['audit', 'verify']))).toMatchObject({ ok: true, rows: 2, firstBadRow: null });
    // importing the key it holds already changes nothing
    expect(json(cli(b, ['keys', 'import', regionKey]))).toMatchObject({ alreadyHeld: true });
  });

  it('refuses the import, in Swedish and English, at a station whose own key holds the register\'s data, and keeps its key', async () => {
    const [a] = region();
    const ownKey = firstStart(a);
    await appendAudit(await openAs(a), entry(a, 'card.tested'));
    const regionKey = createRegionKey(a);
    const refused = cli(a, ['keys', 'import', regionKey]);
    expect(refused.status).toBe(1);
    const { error } = json(refused) as { error: { code: string; message: string } };
    expect(error.code).toBe('station-key-in-use');
    expect(error.message).toMatch(/revisionsloggen/);
    expect(error.message).toMatch(/keys rotate/);
    expect(error.message).toMatch(/nothing was changed/);
    expect(keyOf(a).equals(ownKey)).toBe(true);
    expect(existsSync(`${a.keyFile}.before-import`)).toBe(false);
  });
});

describe('keys rotate', () => {
  it('re-seals every seed and re-chains the trail under a new key, which the other station then imports', async () => {
    const { a, b, dbA, tokenSeed, staffSeed, staffId } = await sharedRegister();
    const oldKey = keyOf(a);
    const rotated = cli(a, ['keys', 'rotate']);
    expect(rotated.status, rotated.stdout + rotated.stderr).toBe(0);
    expect(json(rotated)).toEqual({ seeds: 1, staffSeeds: 1, auditRows: 2, keyFile: a.keyFile });
    const newKey = keyOf(a);
    expect(newKey.equals(oldKey)).toBe(false);
    expect(statSync(a.keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${a.keyFile}.previous`).equals(oldKey)).toBe(true);
    for (const key of [oldKey, newKey]) {
      expect(rotated.stdout).not.toContain(key.toString('hex'));
      expect(rotated.stdout).not.toContain(key.toString('base64'));
    }

    const blob = await tokenBlob(dbA, 'OATH-0001');
    expect(() => openSeed(oldKey, 'OATH-0001', blob)).toThrow();
    const seed = openSeed(newKey, 'OATH-0001', blob);
    const now = new Date();
    expect(verifyTotp({ secret: seed, algorithm: 'SHA1', digits: 6, periodSeconds: 30, t0: 0, driftSteps: 0, code: totp(tokenSeed, now), nowSeconds: Math.floor(now.getTime() / 1000) })).toMatchObject({ valid: true });
    const sealedStaffSeed = (await dbA.value<Uint8Array>('SELECT otp_seed FROM staff_account WHERE id = ?', [staffId]))!;
    expect(checkStaffOtp(() => newKey, { sealedSeed: sealedStaffSeed, staffId, code: totp(staffSeed, now), lastUsedStep: null, now })).toMatchObject({ valid: true });

    expect(json(cli(a, ['audit', 'verify']))).toMatchObject({ ok: true, rows: 3, firstBadRow: null });
    const rekeyed = await dbA.one<{ outcome: string; details: string }>("SELECT outcome, details FROM audit_entry WHERE action = 'audit.rekeyed'");
    expect(rekeyed?.outcome).toBe('ok');
    expect(JSON.parse(rekeyed!.details)).toMatchObject({ rows: 2, previousChainIntact: true });

    // the other station still holds the old key: it cannot verify until it imports the new one
    expect(json(cli(b, ['audit', 'verify']))).toMatchObject({ ok: false });
    // its first import's kept key is still there: the operator removes it (once no backup needs it) and imports again
    expect(json(cli(b, ['keys', 'import', a.keyFile]))).toMatchObject({ error: { code: 'previous-key-exists' } });
    rmSync(`${b.keyFile}.before-import`);
    expect(cli(b, ['keys', 'import', a.keyFile]).status).toBe(0);
    expect(keyOf(b).equals(newKey)).toBe(true);
    expect(json(cli(b, ['audit', 'verify']))).toMatchObject({ ok: true, rows: 3, firstBadRow: null });
    const dbB = await openAs(b);
    await appendAudit(dbB, entry(b, 'token.issued'));
    // a station reads its key once at start, so station A is opened afresh to chain on under the new key
    expect(await verifyAudit(await openAs(a))).toMatchObject({ ok: true, rows: 4, firstBadRow: null });
  });

  it('changes nothing, neither register nor key file, when a seed does not open midway', async () => {
    const { a, dbA } = await sharedRegister();
    await addToken(dbA, keyOf(a), 'OATH-0002', randomBytes(20));
    await addToken(dbA, keyOf(a), 'OATH-0003', randomBytes(20));
    const broken = await tokenBlob(dbA, 'OATH-0002');
    broken[broken.length - 1]! ^= 0xff;
    await dbA.run('UPDATE token SET sealed_seed = ? WHERE serial = ?', [broken, 'OATH-0002']);
    const snapshot = async () => ({
      tokens: (await dbA.all<{ serial: string; sealed_seed: Uint8Array }>('SELECT serial, sealed_seed FROM token ORDER BY id')).map((row) => [row.serial, Buffer.from(row.sealed_seed).toString('hex')]),
      staff: (await dbA.all<{ otp_seed: Uint8Array }>('SELECT otp_seed FROM staff_account ORDER BY id')).map((row) => Buffer.from(row.otp_seed).toString('hex')),
      audit: await dbA.all('SELECT id, prev_hash, hash FROM audit_entry ORDER BY id'),
      settings: await dbA.all('SELECT key, value FROM setting ORDER BY key'),
    });
    const before = await snapshot();
    const keyBefore = keyOf(a);

    const failed = cli(a, ['keys', 'rotate']);
    expect(failed.status).toBe(1);
    const { error } = json(failed) as { error: { code: string; message: string } };
    expect(error.code).toBe('seed-unreadable');
    expect(error.message).toContain('OATH-0002');

    expect(await snapshot()).toEqual(before);
    expect(keyOf(a).equals(keyBefore)).toBe(true);
    expect(existsSync(`${a.keyFile}.next`)).toBe(false);
    expect(existsSync(`${a.keyFile}.previous`)).toBe(false);
    expect(json(cli(a, ['audit', 'verify']))).toMatchObject({ ok: true, rows: 2, firstBadRow: null });
  });
});

describe('two stations rotating at the same moment', () => {
  it('lets exactly one win; the other is refused and keeps its key, and the trail verifies under the winner\'s key', async () => {
    const { a, b } = await sharedRegister();
    const regionKey = keyOf(a);
    const results = await Promise.all([a, b].map((station) => runCliAsync(['keys', 'rotate', '--json', '--data', station.dataDir], { env: stationEnv(station) })));
    expect(results.map((result) => result.status).sort()).toEqual([0, 1]);
    const winner = results[0]!.status === 0 ? a : b;
    const loser = winner === a ? b : a;
    expect(JSON.parse(results[winner === a ? 1 : 0]!.stdout)).toMatchObject({ error: { code: 'not-the-register-key' } });
    expect(keyOf(winner).equals(regionKey)).toBe(false);
    expect(keyOf(loser).equals(regionKey)).toBe(true);
    expect(existsSync(`${loser.keyFile}.next`)).toBe(false);
    expect(existsSync(`${loser.keyFile}.previous`)).toBe(false);
    expect(json(cli(winner, ['audit', 'verify']))).toMatchObject({ ok: true, rows: 3, firstBadRow: null });
    expect(openSeed(keyOf(winner), 'OATH-0001', await tokenBlob(await openAs(winner), 'OATH-0001')).length).toBe(20);
  });
});

// keeps the helper honest: a key file written by hand with open permissions is refused, not imported
it('refuses a region key file that others can read', () => {
  const [a] = region();
  const file = join(tempDir('region-admin'), 'open.key');
  writeFileSync(file, randomBytes(32), { mode: 0o644 });
  const refused = cli(a, ['keys', 'import', file]);
  expect(refused.status).toBe(1);
  expect(json(refused)).toMatchObject({ error: { code: 'key-file-permissions' } });
});
