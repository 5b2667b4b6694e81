import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope, ProcedureInput, ProcedureName, ProcedureOutput } from '@shared/contract';
import type { Session } from '../../src-main/router';
import { DATABASE_FILE, openStation, type Station } from '../../src-main/station';
import { sv as authTexts } from '@shared/i18n/auth';
import type { KeyAlgorithm } from '../sim/card-keys';
import { testPki } from '../sim/pki';
import { createScenario, REVOKED_SERIAL, SCENARIO_HOLDER, SCENARIO_PINS, type Personality, type Scenario, type ScenarioName } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { nextEvent } from '../support/events';
import { READER_1 } from '../support/pcscd';
import { writeTrustDir } from '../support/trust-dir';
import { PUBLIC_URL, startInviteKit, type InviteKit } from '../support/staff-invite';

const ADMIN_PASSWORD = 'Vinterkort42';
let clock = new Date();
let station: Station;
let dataDir: string;
let adminSecret: string;
let invites: InviteKit;

const session = (id: string): Session => ({ id, operator: null });
const advance = (minutes: number): void => void (clock = new Date(clock.getTime() + minutes * 60_000));
const codeNow = (steps = 0): string => generateSync({ secret: adminSecret, epoch: Math.floor(clock.getTime() / 1000) + steps * 30 });

async function call<N extends ProcedureName>(caller: Session, name: N, input: ProcedureInput<N>): Promise<Envelope<ProcedureOutput<N>>> {
  return (await station.router.call(caller, name, input)) as Envelope<ProcedureOutput<N>>;
}

async function value<N extends ProcedureName>(caller: Session, name: N, input: ProcedureInput<N>): Promise<ProcedureOutput<N>> {
  const reply = await call(caller, name, input);
  if (!reply.ok) throw new Error(`${name}: ${reply.code} ${reply.message}`);
  return reply.value;
}

const sessionEnded = (id: string): Promise<{ id: string; reason: string }> =>
  new Promise((resolve) => {
    const listener = (endedId: string, reason: string): void => {
      if (endedId !== id) return;
      station.auth.off('session-ended', listener);
      resolve({ id: endedId, reason });
    };
    station.auth.on('session-ended', listener);
  });

const loginPassword = (caller: Session, password: string, otp: string) => value(caller, 'auth.loginPassword', { username: 'Admin', password, otp });

let trustDir: string;
beforeAll(async () => {
  trustDir = writeTrustDir((await createScenario('healthy')).trustedRoots);
});
// a station of its own for every test, so none leans on the accounts, lockouts or codes another left behind
beforeEach(async () => {
  clock = new Date();
  dataDir = mkdtempSync(join(tmpdir(), 'kortstation-auth-'));
  station = await openStation({ dataDir, host: 'web', trustDirs: [trustDir], now: () => clock, allowVirtualReaders: true, publicUrl: PUBLIC_URL });
  await station.readers.ready();
  invites = await startInviteKit(station, dataDir, () => clock);
});
afterEach(async () => {
  await invites.stop();
  await station.close();
});

/** The station's first run, as its first test walks it, leaving the organisation administrator logged out. */
async function firstRun(): Promise<void> {
  const kiosk = session('setup');
  const { otpauthUri } = await value(kiosk, 'setup.firstRun', { organisationName: 'Region Uppsala', stationName: 'Akademiska', admin: { username: 'Admin', displayName: 'Åsa Admin', password: ADMIN_PASSWORD } });
  adminSecret = new URL(otpauthUri).searchParams.get('secret')!;
  await value(kiosk, 'auth.logout', {});
  // the first run's own login used no code; the next login's code is from a later step
  advance(1);
}

describe('first run', () => {
  it('creates the first organisation administrator once, logs them in and hands out the token secret once', async () => {
    const kiosk = session('first');
    expect(await value(kiosk, 'auth.status', {})).toEqual({ operator: null, firstRun: true, idleMinutes: 5 });
    const weak = await call(kiosk, 'setup.firstRun', { stationName: 'Akademiska', admin: { username: 'admin', displayName: 'Åsa Admin', password: 'kort' } });
    expect(weak).toMatchObject({ ok: false, code: 'password-too-weak' });

    const { otpauthUri } = await value(kiosk, 'setup.firstRun', { organisationName: 'Region Uppsala', stationName: 'Akademiska', admin: { username: 'Admin', displayName: 'Åsa Admin', password: ADMIN_PASSWORD } });
    adminSecret = new URL(otpauthUri).searchParams.get('secret')!;
    expect(adminSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await value(kiosk, 'auth.status', {})).toEqual({ operator: { displayName: 'Åsa Admin', role: 'org-admin', previousLogin: null, mustChangePassword: false, hasPassword: true }, firstRun: false, idleMinutes: 5 });

    const again = await call(session('other'), 'setup.firstRun', { stationName: 'X', admin: { username: 'mallory', displayName: 'M', password: 'Mallory123' } });
    expect(again).toMatchObject({ ok: false, code: 'setup-already-done' });
    await value(kiosk, 'auth.logout', {});
  });

  it('keeps only an argon2id hash and a sealed seed: no password or secret in the database file or the audit trail', async () => {
    await firstRun();
    const row = await station.database.one<{ password_hash: string; otp_seed: Buffer }>('SELECT password_hash, otp_seed FROM staff_account');
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);
    // everything written so far into the file itself, not only its write-ahead log
    await station.database.all('PRAGMA wal_checkpoint(TRUNCATE)');
    const file = readFileSync(join(dataDir, DATABASE_FILE));
    expect(file.includes(ADMIN_PASSWORD)).toBe(false);
    expect(file.includes(adminSecret)).toBe(false);
    const audit = JSON.stringify(await station.database.all('SELECT * FROM audit_entry'));
    expect(audit).toContain('setup.first-run');
    expect(audit).not.toContain(ADMIN_PASSWORD);
  });
});

describe('password and one-time code', () => {
  it('logs in with both right, refuses a wrong password, a wrong code and a code used before', async () => {
    await firstRun();
    const kiosk = session('password');
    expect(await loginPassword(kiosk, 'Fel-losen1', codeNow())).toMatchObject({ ok: false, reason: 'wrong-credentials' });
    expect(await loginPassword(kiosk, ADMIN_PASSWORD, codeNow(3))).toMatchObject({ ok: false, reason: 'wrong-credentials' });
    expect(kiosk.operator).toBeNull();
    const code = codeNow(-1);
    expect(await loginPassword(kiosk, ADMIN_PASSWORD, code)).toEqual({ ok: true, operator: { displayName: 'Åsa Admin', role: 'org-admin', previousLogin: { at: expect.any(String), method: 'password' }, mustChangePassword: false, hasPassword: true } });
    expect(kiosk.operator).toMatchObject({ role: 'org-admin' });
    await value(kiosk, 'auth.logout', {});
    expect(await loginPassword(kiosk, ADMIN_PASSWORD, code)).toMatchObject({ ok: false, reason: 'wrong-credentials' });
    expect(await call(kiosk, 'staff.list', {})).toMatchObject({ ok: false, code: 'not-logged-in' });
    // a success clears the failures counted so far
    expect(await loginPassword(kiosk, ADMIN_PASSWORD, codeNow(1))).toMatchObject({ ok: true });
    await value(kiosk, 'auth.logout', {});
  });

  it('locks the account after five failures, even for the right password, and opens it after fifteen minutes', async () => {
    await firstRun();
    advance(1);
    const kiosk = session('lockout');
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await loginPassword(kiosk, `Fel-losen${attempt}`, codeNow())).toMatchObject({ ok: false, reason: 'wrong-credentials' });
    }
    const lockedUntil = new Date(clock.getTime() + 15 * 60_000).toISOString();
    expect(await loginPassword(kiosk, 'Fel-losen5', codeNow())).toEqual({ ok: false, reason: 'locked', lockedUntil, triesLeft: null });
    expect(await loginPassword(kiosk, ADMIN_PASSWORD, codeNow())).toEqual({ ok: false, reason: 'locked', lockedUntil, triesLeft: null });
    advance(14);
    expect(await loginPassword(kiosk, ADMIN_PASSWORD, codeNow())).toMatchObject({ ok: false, reason: 'locked' });
    advance(1);
    expect(await loginPassword(kiosk, ADMIN_PASSWORD, codeNow())).toMatchObject({ ok: true });
    const actions = await station.database.all("SELECT action, outcome FROM audit_entry WHERE action LIKE 'auth.%'");
    expect(actions).toContainEqual({ action: 'auth.locked', outcome: 'ok' });
    await value(kiosk, 'auth.logout', {});
  });

  it('ends a session left idle for the configured minutes, and activity keeps it open', async () => {
    await firstRun();
    advance(1);
    const kiosk = session('idle');
    await loginPassword(kiosk, ADMIN_PASSWORD, codeNow());
    advance(4);
    expect(await value(kiosk, 'auth.touch', {})).toEqual({ loggedIn: true });
    advance(4);
    expect((await value(kiosk, 'auth.status', {})).operator).not.toBeNull();
    const ended = sessionEnded('idle');
    advance(1);
    expect((await value(kiosk, 'auth.status', {})).operator).toBeNull();
    expect(await ended).toEqual({ id: 'idle', reason: 'idle' });
    expect(await call(kiosk, 'staff.list', {})).toMatchObject({ ok: false, code: 'not-logged-in' });
  });
});

describe('staff accounts', () => {
  it('lets the organisation administrator create staff, a station administrator only list them, and keeps the last org admin', async () => {
    await firstRun();
    advance(1);
    const admin = session('admin');
    await loginPassword(admin, ADMIN_PASSWORD, codeNow());
    const created = await value(admin, 'staff.create', { username: 'stina', displayName: 'Stina Station', role: 'station-admin', email: 'stina@example.se' });
    expect(created.invitationSent).toBe(true);
    expect(await call(admin, 'staff.create', { username: 'STINA', displayName: 'x', role: 'operator', email: 'x@example.se' })).toMatchObject({ ok: false, code: 'username-taken' });
    const secret = await invites.accept(await invites.invitationToken('stina@example.se'), 'Stationen77');
    advance(1);

    const stina = session('stina');
    await value(stina, 'auth.loginPassword', { username: 'stina', password: 'Stationen77', otp: generateSync({ secret, epoch: Math.floor(clock.getTime() / 1000) }) });
    expect((await value(stina, 'staff.list', {})).map((account) => account.username)).toEqual(['stina', 'admin']);
    expect(await call(stina, 'staff.create', { username: 'x1', displayName: 'x', role: 'operator' })).toMatchObject({ ok: false, code: 'forbidden' });

    const self = (await value(admin, 'staff.list', {})).find((account) => account.username === 'admin')!;
    expect(await call(admin, 'staff.update', { id: self.id, role: 'operator' })).toMatchObject({ ok: false, code: 'last-org-admin' });
    await value(admin, 'staff.update', { id: created.account.id, disabled: true });
    expect(stina.operator).toBeNull();
    await value(admin, 'staff.update', { id: created.account.id, disabled: false });
  });
});

describe('SITHS card and PIN', () => {
  let adminSession: Session;
  let cardHolderId: number;

  beforeEach(async () => {
    await firstRun();
    adminSession = session('card-admin');
    await loginPassword(adminSession, ADMIN_PASSWORD, codeNow());
    const { account } = await value(adminSession, 'staff.create', { username: 'anna', displayName: 'Anna Testsson', role: 'operator', hsaId: SCENARIO_HOLDER.hsaId });
    cardHolderId = account.id;
  });

  // every card test here starts from the holder's account with the card's HSA-ID and a current CRL of the test PKI
  beforeEach(async () => {
    await value(adminSession, 'staff.update', { id: cardHolderId, hsaId: SCENARIO_HOLDER.hsaId });
    await useCrls([(await createScenario('healthy')).crls[0]!]);
  });

  /** Leaves exactly these CRLs imported. */
  async function useCrls(ders: readonly Uint8Array[]): Promise<void> {
    await station.database.run('DELETE FROM crl');
    for (const der of ders) await value(adminSession, 'crl.import', { contentBase64: Buffer.from(der).toString('base64') });
  }

  interface CardChoice {
    name?: ScenarioName;
    personality?: Personality;
    keyAlgorithm?: KeyAlgorithm;
  }

  async function withCard(work: (scenario: Scenario) => Promise<void>, choice: CardChoice = {}): Promise<void> {
    const inserted = nextEvent(station.readers, 'card-inserted', (event) => event.reader === READER_1);
    const scenario = await createScenario(choice.name ?? 'healthy', choice.personality ?? 'pkcs15', { keyAlgorithm: choice.keyAlgorithm });
    const card = await insertCard(scenario.applet, { reader: 1 });
    await inserted;
    try {
      await work(scenario);
    } finally {
      const removed = nextEvent(station.readers, 'card-removed', (event) => event.reader === READER_1);
      await card.remove();
      await removed;
    }
  }

  it('refuses a wrong PIN with the tries left, logs in with the right one, and logs out when the card comes out', async () => {
    const kiosk = session('card');
    const ended = sessionEnded('card');
    await withCard(async () => {
      expect(await value(kiosk, 'auth.loginCard', { reader: READER_1, pin: '999999' })).toEqual({ ok: false, reason: 'wrong-pin', lockedUntil: null, triesLeft: 2 });
      expect(await value(kiosk, 'auth.loginCard', { reader: READER_1, pin: SCENARIO_PINS.auth })).toEqual({ ok: true, operator: { displayName: 'Anna Testsson', role: 'operator', previousLogin: null, mustChangePassword: false, hasPassword: false } });
      expect(kiosk.operator).toMatchObject({ id: cardHolderId, role: 'operator' });
    });
    expect(await ended).toEqual({ id: 'card', reason: 'card-removed' });
    expect(kiosk.operator).toBeNull();
    expect((await value(kiosk, 'auth.status', {})).operator).toBeNull();
  });

  it('refuses a card whose HSA-ID belongs to no staff account, without spending a PIN try', async () => {
    await value(adminSession, 'staff.update', { id: cardHolderId, hsaId: null });
    const kiosk = session('stranger');
    await withCard(async () => {
      expect(await value(kiosk, 'auth.loginCard', { reader: READER_1, pin: '000000' })).toMatchObject({ ok: false, reason: 'card-not-registered' });
      const pins = await value(kiosk, 'pin.status', { reader: READER_1 });
      expect(pins.pins.find((pin) => pin.role === 'auth')?.triesLeft).toBe(3);
    });
    expect(kiosk.operator).toBeNull();
  });

  const lastLoginAudit = async () =>
    (await station.database.one<{ actor: string; outcome: string; details: string }>("SELECT actor, outcome, details FROM audit_entry WHERE action = 'auth.login' ORDER BY id DESC LIMIT 1"))!;
  const authTries = async (kiosk: Session) => (await value(kiosk, 'pin.status', { reader: READER_1 })).pins.find((pin) => pin.role === 'auth')?.triesLeft;

  describe.each([
    ['pkcs15', 'rsa-2048'],
    ['pkcs15', 'ec-p256'],
    ['piv', 'rsa-2048'],
    ['piv', 'ec-p256'],
  ] as const)('the card proves its key: %s card with %s keys', (personality, keyAlgorithm) => {
    it('logs in a healthy card: its key signs the challenge', async () => {
      const kiosk = session(`proof-${personality}-${keyAlgorithm}`);
      await withCard(
        async () => {
          expect(await value(kiosk, 'auth.loginCard', { reader: READER_1, pin: SCENARIO_PINS.auth })).toEqual({ ok: true, operator: { displayName: 'Anna Testsson', role: 'operator', previousLogin: null, mustChangePassword: false, hasPassword: false } });
          expect(kiosk.operator).toMatchObject({ id: cardHolderId });
          await value(kiosk, 'auth.logout', {});
        },
        { personality, keyAlgorithm },
      );
    });

    it('refuses a copied certificate on a card with another key: no session, a refused login in the audit trail, no try spent', async () => {
      const kiosk = session(`copied-${personality}-${keyAlgorithm}`);
      await withCard(
        async (scenario) => {
          expect(await value(kiosk, 'auth.loginCard', { reader: READER_1, pin: SCENARIO_PINS.auth })).toEqual({ ok: false, reason: 'key-not-proven', lockedUntil: null, triesLeft: null });
          expect(kiosk.operator).toBeNull();
          expect((await value(kiosk, 'auth.status', {})).operator).toBeNull();
          expect(await call(kiosk, 'staff.list', {})).toMatchObject({ ok: false, code: 'not-logged-in' });
          const audit = await lastLoginAudit();
          expect({ ...audit, details: JSON.parse(audit.details) }).toMatchObject({ actor: String(cardHolderId), outcome: 'refused', details: { method: 'card', reason: 'key-not-proven', keyProof: 'mismatch' } });
          // the right PIN was verified once, which leaves the counter full; the card itself says so
          expect(scenario.model?.triesLeft('auth')).toBe(3);
        },
        { name: 'copied-certificate', personality, keyAlgorithm },
      );
    });
  });

  describe.each(['pkcs15', 'piv'] as const)('revocation must be checkable: %s card', (personality) => {
    it('refuses a revoked card when no CRL is imported, before any PIN is sent', async () => {
      await useCrls([]);
      const kiosk = session(`no-crl-${personality}`);
      await withCard(
        async () => {
          expect(await value(kiosk, 'auth.loginCard', { reader: READER_1, pin: SCENARIO_PINS.auth })).toEqual({ ok: false, reason: 'revocation-unavailable', lockedUntil: null, triesLeft: null });
          expect(kiosk.operator).toBeNull();
          expect(JSON.parse((await lastLoginAudit()).details)).toMatchObject({ reason: 'revocation-unavailable', crl: 'missing' });
          expect(await authTries(kiosk)).toBe(3);
        },
        { name: 'revoked', personality },
      );
    });

    it('refuses a healthy card when the only CRL is past its nextUpdate', async () => {
      const pki = await testPki();
      const day = 86_400_000;
      await useCrls([await pki.crl({ thisUpdate: new Date(clock.getTime() - 10 * day), nextUpdate: new Date(clock.getTime() - day), revokedSerials: [REVOKED_SERIAL] })]);
      const kiosk = session(`stale-crl-${personality}`);
      await withCard(
        async () => {
          expect(await value(kiosk, 'auth.loginCard', { reader: READER_1, pin: SCENARIO_PINS.auth })).toMatchObject({ ok: false, reason: 'revocation-unavailable' });
          expect(kiosk.operator).toBeNull();
          expect(JSON.parse((await lastLoginAudit()).details)).toMatchObject({ reason: 'revocation-unavailable', crl: 'stale' });
        },
        { personality },
      );
    });

    it('refuses the revoked card by its current CRL', async () => {
      const kiosk = session(`revoked-${personality}`);
      await withCard(async () => {
        expect(await value(kiosk, 'auth.loginCard', { reader: READER_1, pin: SCENARIO_PINS.auth })).toMatchObject({ ok: false, reason: 'card-not-trusted' });
      }, { name: 'revoked', personality });
    });
  });

  it('tells staff why in the words of the issue', () => {
    expect(authTexts.refusals['revocation-unavailable']).toContain('Spärrlistan saknas eller är för gammal — logga in med lösenord och engångskod');
  });
});
