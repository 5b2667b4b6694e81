// Staff login on a window's session: password + one-time code or SITHS card + PIN, lockout, idle and card-removal logout.
import { EventEmitter } from 'node:events';
import type { AuthStatus, LoginMethod, LoginRefusal, LoginResult, OperatorInfo, SessionEndReason, StationEvent } from '@shared/contract';
import { afterFailedLogin, afterSuccessfulLogin, lockedUntilAt } from '@shared/domain/lockout';
import { ApduChannel } from '../card/apdu';
import type { ReaderTransmit } from '../card/reader-connection';
import { ReaderError } from '../card/reader-error';
import type { ReaderService } from '../card/readers';
import { proveKey } from '../card/key-proof';
import { probeCard, type PinOperationResult } from '../card/profiles/profile';
import type { DataKeySource } from '../tokens/seed-crypto';
import type { Session } from '../router';
import { appendAudit, type AuditDetails, type AuditOutcome } from '../audit/audit';
import type { TrustSource } from '../cards/card-tests';
import { staffCardIdentity } from './card-identity';
import { checkStaffOtp } from './otp';
import { passwordMatches } from './passwords';
import { createStaffStore, type StaffRow, type StaffStore } from './store';
import { stationNameReader, type StationName } from '../organisation/station-label';
import type { Db } from '../db/data-layer';

export const IDLE_MINUTES_SETTING = 'auth.idle-minutes';
export const DEFAULT_IDLE_MINUTES = 5;
const SWEEP_INTERVAL_MS = 5_000;
// the automatic card test starts when a card goes in; a login waits for it rather than failing
const BUSY_RETRY_MS = 200;
const BUSY_RETRIES = 50;

export interface AuthServiceOptions {
  db: Db;
  readers: ReaderService;
  trust: TrustSource;
  dataKey: DataKeySource;
  /** The clock every lockout, one-time code and idle check reads; tests move it. */
  now?: () => Date;
}

interface LiveSession {
  staffId: number;
  lastActivity: number;
  /** The reader holding the staff card the session was opened with; null for a password login. */
  cardReader: string | null;
}

const refusal = (reason: LoginRefusal, extra: { lockedUntil?: string; triesLeft?: number | null } = {}): LoginResult => ({
  ok: false,
  reason,
  lockedUntil: extra.lockedUntil ?? null,
  triesLeft: extra.triesLeft ?? null,
});

const lockoutOf = (row: StaffRow) => ({ failedLogins: row.failed_logins, lockedUntil: row.locked_until });

// a timer or a reader event has no caller to hand a failure to: it is logged, and the next sweep tries again
const logFailure = (error: unknown): void => console.error('[auth] ending a session failed:', error);

export class AuthService extends EventEmitter<{ 'session-ended': [sessionId: string, reason: SessionEndReason] }> {
  readonly store: StaffStore;
  private readonly live = new Map<Session, LiveSession>();
  private readonly now: () => Date;
  private readonly station: StationName;
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly onReaderEvent = (event: StationEvent): void => {
    const reader = event.type === 'card-removed' ? event.reader : event.type === 'reader-removed' ? event.name : null;
    if (reader === null) return;
    for (const [session, live] of this.live) if (live.cardReader === reader) void this.endSession(session, 'card-removed').catch(logFailure);
  };

  constructor(private readonly options: AuthServiceOptions) {
    super();
    this.store = createStaffStore(options.db);
    this.station = stationNameReader(options.db);
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    this.options.readers.on('event', this.onReaderEvent);
    this.sweepTimer = setInterval(() => void this.sweep().catch(logFailure), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  stop(): void {
    this.options.readers.off('event', this.onReaderEvent);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  async idleMinutes(): Promise<number> {
    const configured = Number(await this.store.setting(IDLE_MINUTES_SETTING));
    return Number.isInteger(configured) && configured >= 1 && configured <= 240 ? configured : DEFAULT_IDLE_MINUTES;
  }

  async status(session: Session): Promise<AuthStatus> {
    await this.sweep();
    const row = session.operator ? await this.store.byId(session.operator.id) : undefined;
    return {
      operator: row ? this.operatorInfo(row) : null,
      firstRun: (await this.store.count()) === 0,
      idleMinutes: await this.idleMinutes(),
    };
  }

  /** An activity ping from the window: keeps the session from ending as idle. */
  async touch(session: Session): Promise<{ loggedIn: boolean }> {
    await this.sweep();
    const live = this.live.get(session);
    if (live) live.lastActivity = this.now().getTime();
    return { loggedIn: live !== undefined };
  }

  async logout(session: Session): Promise<{ loggedOut: boolean }> {
    return { loggedOut: await this.endSession(session, 'logout') };
  }

  /** Ends every session past the idle time; runs on a timer and before each status or touch. */
  async sweep(): Promise<void> {
    const limit = (await this.idleMinutes()) * 60_000;
    const now = this.now().getTime();
    const idle = [...this.live].filter(([, live]) => now - live.lastActivity >= limit);
    for (const [session] of idle) await this.endSession(session, 'idle');
  }

  /** After an administrator changed an account: live sessions take its new role and units, or end when it was disabled. */
  async refreshStaff(staffId: number): Promise<void> {
    const row = await this.store.byId(staffId);
    const unitIds = row ? await this.unitIdsOf(row) : [];
    const sessions = [...this.live].filter(([, live]) => live.staffId === staffId);
    for (const [session] of sessions) {
      if (!row || row.disabled) await this.endSession(session, 'logout');
      else session.operator = { id: row.id, role: row.role, unitIds, mustChangePassword: row.password_change_required === 1 };
    }
  }

  async loginPassword(session: Session, username: string, password: string, otp: string): Promise<LoginResult> {
    const now = this.now();
    const account = await this.store.byUsername(username.trim().toLowerCase());
    const lockedUntil = account && lockedUntilAt(lockoutOf(account), now);
    if (account && lockedUntil) {
      await this.audit(String(account.id), 'auth.login', 'refused', { method: 'password', reason: 'locked' });
      return refusal('locked', { lockedUntil: lockedUntil.toISOString() });
    }
    const passwordOk = await passwordMatches(account?.password_hash ?? null, password);
    // one transaction from the re-read to the audit entry: parallel attempts count one by one, a code is used once
    const outcome = await this.options.db.transaction(async (): Promise<LoginResult | { loggedIn: StaffRow }> => {
      const current = account && (await this.store.byId(account.id));
      if (!current) {
        await this.audit(null, 'auth.login', 'refused', { method: 'password', reason: 'unknown-user' });
        return refusal('wrong-credentials');
      }
      const stillLocked = lockedUntilAt(lockoutOf(current), now);
      if (stillLocked) return refusal('locked', { lockedUntil: stillLocked.toISOString() });
      if (!passwordOk) return this.countFailure(current, now, 'wrong-password');
      if (!current.otp_seed) return this.refuse(current, 'password', 'otp-not-enrolled');
      const verification = checkStaffOtp(this.options.dataKey, {
        sealedSeed: current.otp_seed,
        staffId: current.id,
        code: otp,
        lastUsedStep: current.otp_last_step,
        now,
      });
      if (!verification.valid) return this.countFailure(current, now, verification.reason === 'already-used' ? 'code-reused' : 'wrong-code');
      if (current.disabled) return this.refuse(current, 'password', 'account-disabled');
      await this.store.recordOtpUse(current.id, verification.timeStep);
      await this.recordLogin(session, current, 'password', null);
      return { loggedIn: current };
    });
    return 'loggedIn' in outcome ? this.openSession(session, outcome.loggedIn, null) : outcome;
  }

  async loginCard(session: Session, reader: string, pin: string): Promise<LoginResult> {
    const trustedRoots = this.options.trust.trustedRoots();
    const crls = await this.options.trust.crls();
    const result = await this.withFreeReader(reader, async (transmit) => {
      const profile = await probeCard(new ApduChannel(transmit));
      const identity = profile && (await staffCardIdentity(await profile.certificates(), { trustedRoots, crls, now: this.now() }));
      if (!profile || !identity) {
        await this.audit(null, 'auth.login', 'refused', { method: 'card', reader, reason: 'unknown-card' });
        return refusal('unknown-card');
      }
      // every refusal that needs no PIN comes before VERIFY, so no try is spent on a card that can't log in anyway
      const account = await this.store.byHsaId(identity.hsaId);
      if (!account) {
        await this.audit(null, 'auth.login', 'refused', { method: 'card', reader, reason: 'card-not-registered' });
        return refusal('card-not-registered');
      }
      if (!identity.trusted) return this.refuse(account, 'card', 'card-not-trusted', { reader });
      // without a current CRL a revoked card would pass: fail closed, password and one-time code still work
      if (identity.crl !== 'current') return this.refuse(account, 'card', 'revocation-unavailable', { reader, crl: identity.crl });
      if (account.disabled) return this.refuse(account, 'card', 'account-disabled', { reader });
      const verified = await profile.verify('auth', pin);
      if (verified.kind !== 'ok') return this.pinRefusal(account, reader, verified);
      // certificates are public: only a signature by the certificate's key shows this is the holder's card
      const keyProof = await proveKey(profile, identity.certificate);
      if (keyProof !== 'ok') return this.refuse(account, 'card', 'key-not-proven', { reader, keyProof });
      return this.startSession(session, account, 'card', reader);
    });
    // the card may have left between VERIFY and now: its removal event was then for no session yet
    if (result.ok && !this.cardPresent(reader)) await this.endSession(session, 'card-removed');
    return result;
  }

  /**
   * Server mode's SITHS login: the browser's TLS handshake already proved it holds the certificate's key (through Net iD and
   * the card), so what is left is the card login's checks before the PIN: chain to a trusted root, CRL, account.
   */
  async loginCertificate(session: Session, chain: readonly Uint8Array[]): Promise<LoginResult> {
    const method = 'certificate';
    if (chain.length === 0) {
      await this.audit(null, 'auth.login', 'refused', { method, reason: 'no-certificate' });
      return refusal('no-certificate');
    }
    const identity = await staffCardIdentity(chain, { trustedRoots: this.options.trust.trustedRoots(), crls: await this.options.trust.crls(), now: this.now() });
    if (!identity) {
      await this.audit(null, 'auth.login', 'refused', { method, reason: 'unknown-card' });
      return refusal('unknown-card');
    }
    const account = await this.store.byHsaId(identity.hsaId);
    if (!account) {
      await this.audit(null, 'auth.login', 'refused', { method, reason: 'card-not-registered' });
      return refusal('card-not-registered');
    }
    const lockedUntil = lockedUntilAt(lockoutOf(account), this.now());
    if (lockedUntil) {
      await this.audit(String(account.id), 'auth.login', 'refused', { method, reason: 'locked' });
      return refusal('locked', { lockedUntil: lockedUntil.toISOString() });
    }
    if (!identity.trusted) return this.refuse(account, method, 'card-not-trusted');
    // without a current CRL a revoked card would pass: fail closed, password and one-time code still work
    if (identity.crl !== 'current') return this.refuse(account, method, 'revocation-unavailable', { crl: identity.crl });
    if (account.disabled) return this.refuse(account, method, 'account-disabled');
    return this.startSession(session, account, method);
  }

  private pinRefusal(account: StaffRow, reader: string, result: Exclude<PinOperationResult, { kind: 'ok' }>): Promise<LoginResult> {
    switch (result.kind) {
      case 'wrong':
        return this.refuse(account, 'card', 'wrong-pin', { reader, triesLeft: result.triesLeft });
      case 'blocked':
        return this.refuse(account, 'card', 'pin-blocked', { reader, triesLeft: 0 });
      case 'invalid-format':
        return this.refuse(account, 'card', 'invalid-pin-format', { reader });
      case 'not-supported':
      case 'failed':
        return this.refuse(account, 'card', 'unknown-card', { reader });
    }
  }

  private async withFreeReader<T>(reader: string, work: (transmit: ReaderTransmit) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.options.readers.withCard(reader, work);
      } catch (error) {
        if (!(error instanceof ReaderError) || error.code !== 'reader-busy' || attempt >= BUSY_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
      }
    }
  }

  private cardPresent(reader: string): boolean {
    return this.options.readers.snapshot().readers.some((info) => info.name === reader && info.cardPresent);
  }

  private async countFailure(account: StaffRow, now: Date, reason: string): Promise<LoginResult> {
    const next = afterFailedLogin(account.failed_logins, now);
    await this.store.setLockout(account.id, next.failedLogins, next.lockedUntil);
    await this.audit(String(account.id), 'auth.login', 'refused', { method: 'password', reason, failedLogins: account.failed_logins + 1 });
    if (!next.lockedNow || next.lockedUntil === null) return refusal('wrong-credentials');
    await this.audit(String(account.id), 'auth.locked', 'ok', { until: next.lockedUntil });
    return refusal('locked', { lockedUntil: next.lockedUntil });
  }

  /** Audits the refusal with the facts that are set; `crl` and `keyProof` say why a card could not be trusted. */
  private async refuse(
    account: StaffRow,
    method: LoginMethod,
    reason: LoginRefusal,
    facts: { reader?: string; triesLeft?: number | null; crl?: string; keyProof?: string } = {},
  ): Promise<LoginResult> {
    const known = Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined && value !== null)) as AuditDetails;
    await this.audit(String(account.id), 'auth.login', 'refused', { method, reason, ...known });
    return refusal(reason, { triesLeft: facts.triesLeft });
  }

  /** Logs `account` in on `session`; also the first run's way of letting the new administrator in. */
  async startSession(session: Session, account: StaffRow, method: LoginMethod = 'password', cardReader: string | null = null): Promise<LoginResult> {
    await this.options.db.transaction(() => this.recordLogin(session, account, method, cardReader));
    return this.openSession(session, account, cardReader);
  }

  /** A login's database half, inside the caller's transaction: the previous operator's logout, the cleared lock, the login. */
  private async recordLogin(session: Session, account: StaffRow, method: LoginMethod, cardReader: string | null): Promise<void> {
    if (session.operator) await this.audit(String(session.operator.id), 'auth.logout', 'ok', { reason: 'logout' });
    const cleared = afterSuccessfulLogin();
    await this.store.setLockout(account.id, cleared.failedLogins, cleared.lockedUntil);
    await this.store.recordLogin(account.id, method, this.now().toISOString());
    await this.audit(String(account.id), 'auth.login', 'ok', { method, ...(cardReader ? { reader: cardReader } : {}) });
  }

  /** A login's in-memory half, after its transaction committed (on PostgreSQL the transaction may have run twice). */
  private async openSession(session: Session, account: StaffRow, cardReader: string | null): Promise<LoginResult> {
    const unitIds = await this.unitIdsOf(account);
    if (session.operator) {
      this.live.delete(session);
      session.operator = null;
      this.emit('session-ended', session.id, 'logout');
    }
    // re-read: the row the login began with predates the login it recorded
    const current = (await this.store.byId(account.id)) ?? account;
    session.operator = { id: current.id, role: current.role, unitIds, mustChangePassword: current.password_change_required === 1 };
    this.live.set(session, { staffId: current.id, lastActivity: this.now().getTime(), cardReader });
    return { ok: true, operator: this.operatorInfo(current) };
  }

  /** Logs the session out; true when someone was logged in. */
  private async endSession(session: Session, reason: SessionEndReason): Promise<boolean> {
    const operator = session.operator;
    this.live.delete(session);
    if (!operator) return false;
    session.operator = null;
    await this.audit(String(operator.id), 'auth.logout', 'ok', { reason });
    this.emit('session-ended', session.id, reason);
    return true;
  }

  private async unitIdsOf(account: StaffRow): Promise<number[]> {
    return account.role === 'unit-admin' ? this.store.unitIds(account.id) : [];
  }

  private operatorInfo(row: StaffRow): OperatorInfo {
    return {
      displayName: row.display_name,
      role: row.role,
      previousLogin: row.previous_login_at && row.previous_login_method ? { at: row.previous_login_at, method: row.previous_login_method } : null,
      mustChangePassword: row.password_change_required === 1,
      hasPassword: row.password_hash !== null,
    };
  }

  /** Appends to the audit trail under this station's name; details are facts, never a secret. */
  async audit(actor: string | null, action: string, outcome: AuditOutcome, details: AuditDetails): Promise<void> {
    await appendAudit(this.options.db, { station: await this.station(), actor, action, outcome, details, at: this.now() });
  }
}
