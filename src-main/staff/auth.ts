// Staff login on a window's session: password + one-time code or SITHS card + PIN, lockout, idle and card-removal logout.
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import type { AuthStatus, LoginRefusal, LoginResult, OperatorInfo, SessionEndReason, StationEvent } from '@shared/contract';
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
import { STATION_NAME_SETTING } from '../organisation/station-label';

export const IDLE_MINUTES_SETTING = 'auth.idle-minutes';
export const DEFAULT_IDLE_MINUTES = 5;
const SWEEP_INTERVAL_MS = 5_000;
// the automatic card test starts when a card goes in; a login waits for it rather than failing
const BUSY_RETRY_MS = 200;
const BUSY_RETRIES = 50;

export interface AuthServiceOptions {
  sqlite: BetterSqlite3.Database;
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

type LoginMethod = 'password' | 'card';

const refusal = (reason: LoginRefusal, extra: { lockedUntil?: string; triesLeft?: number | null } = {}): LoginResult => ({
  ok: false,
  reason,
  lockedUntil: extra.lockedUntil ?? null,
  triesLeft: extra.triesLeft ?? null,
});

const lockoutOf = (row: StaffRow) => ({ failedLogins: row.failed_logins, lockedUntil: row.locked_until });

export class AuthService extends EventEmitter<{ 'session-ended': [sessionId: string, reason: SessionEndReason] }> {
  readonly store: StaffStore;
  private readonly live = new Map<Session, LiveSession>();
  private readonly now: () => Date;
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly onReaderEvent = (event: StationEvent): void => {
    const reader = event.type === 'card-removed' ? event.reader : event.type === 'reader-removed' ? event.name : null;
    if (reader === null) return;
    for (const [session, live] of this.live) if (live.cardReader === reader) this.endSession(session, 'card-removed');
  };

  constructor(private readonly options: AuthServiceOptions) {
    super();
    this.store = createStaffStore(options.sqlite);
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    this.options.readers.on('event', this.onReaderEvent);
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  stop(): void {
    this.options.readers.off('event', this.onReaderEvent);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  idleMinutes(): number {
    const configured = Number(this.store.setting(IDLE_MINUTES_SETTING));
    return Number.isInteger(configured) && configured >= 1 && configured <= 240 ? configured : DEFAULT_IDLE_MINUTES;
  }

  status(session: Session): AuthStatus {
    this.sweep();
    const row = session.operator ? this.store.byId(session.operator.id) : undefined;
    return {
      operator: row ? this.operatorInfo(row) : null,
      firstRun: this.store.count() === 0,
      idleMinutes: this.idleMinutes(),
    };
  }

  /** An activity ping from the window: keeps the session from ending as idle. */
  touch(session: Session): { loggedIn: boolean } {
    this.sweep();
    const live = this.live.get(session);
    if (live) live.lastActivity = this.now().getTime();
    return { loggedIn: live !== undefined };
  }

  logout(session: Session): { loggedOut: boolean } {
    return { loggedOut: this.endSession(session, 'logout') };
  }

  /** Ends every session past the idle time; runs on a timer and before each status or touch. */
  sweep(): void {
    const limit = this.idleMinutes() * 60_000;
    const now = this.now().getTime();
    for (const [session, live] of this.live) if (now - live.lastActivity >= limit) this.endSession(session, 'idle');
  }

  /** After an administrator changed an account: live sessions take its new role and units, or end when it was disabled. */
  refreshStaff(staffId: number): void {
    const row = this.store.byId(staffId);
    for (const [session, live] of this.live) {
      if (live.staffId !== staffId) continue;
      if (!row || row.disabled) this.endSession(session, 'logout');
      else session.operator = { id: row.id, role: row.role, unitIds: this.unitIdsOf(row) };
    }
  }

  async loginPassword(session: Session, username: string, password: string, otp: string): Promise<LoginResult> {
    const now = this.now();
    const account = this.store.byUsername(username.trim().toLowerCase());
    const lockedUntil = account && lockedUntilAt(lockoutOf(account), now);
    if (account && lockedUntil) {
      this.audit(String(account.id), 'auth.login', 'refused', { method: 'password', reason: 'locked' });
      return refusal('locked', { lockedUntil: lockedUntil.toISOString() });
    }
    const passwordOk = await passwordMatches(account?.password_hash ?? null, password);
    // one immediate transaction from the re-read to the audit entry: parallel attempts count one by one
    return this.options.sqlite.transaction((): LoginResult => {
      const current = account && this.store.byId(account.id);
      if (!current) {
        this.audit(null, 'auth.login', 'refused', { method: 'password', reason: 'unknown-user' });
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
      this.store.recordOtpUse(current.id, verification.timeStep);
      return this.startSession(session, current, 'password', null);
    }).immediate();
  }

  async loginCard(session: Session, reader: string, pin: string): Promise<LoginResult> {
    const trustedRoots = this.options.trust.trustedRoots();
    const crls = await this.options.trust.crls();
    const result = await this.withFreeReader(reader, async (transmit) => {
      const profile = await probeCard(new ApduChannel(transmit));
      const identity = profile && (await staffCardIdentity(await profile.certificates(), { trustedRoots, crls, now: this.now() }));
      if (!profile || !identity) {
        this.audit(null, 'auth.login', 'refused', { method: 'card', reader, reason: 'unknown-card' });
        return refusal('unknown-card');
      }
      // every refusal that needs no PIN comes before VERIFY, so no try is spent on a card that can't log in anyway
      const account = this.store.byHsaId(identity.hsaId);
      if (!account) {
        this.audit(null, 'auth.login', 'refused', { method: 'card', reader, reason: 'card-not-registered' });
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
    if (result.ok && !this.cardPresent(reader)) this.endSession(session, 'card-removed');
    return result;
  }

  private pinRefusal(account: StaffRow, reader: string, result: Exclude<PinOperationResult, { kind: 'ok' }>): LoginResult {
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

  private countFailure(account: StaffRow, now: Date, reason: string): LoginResult {
    const next = afterFailedLogin(account.failed_logins, now);
    this.store.setLockout(account.id, next.failedLogins, next.lockedUntil);
    this.audit(String(account.id), 'auth.login', 'refused', { method: 'password', reason, failedLogins: account.failed_logins + 1 });
    if (!next.lockedNow || next.lockedUntil === null) return refusal('wrong-credentials');
    this.audit(String(account.id), 'auth.locked', 'ok', { until: next.lockedUntil });
    return refusal('locked', { lockedUntil: next.lockedUntil });
  }

  /** Audits the refusal with the facts that are set; `crl` and `keyProof` say why a card could not be trusted. */
  private refuse(
    account: StaffRow,
    method: LoginMethod,
    reason: LoginRefusal,
    facts: { reader?: string; triesLeft?: number | null; crl?: string; keyProof?: string } = {},
  ): LoginResult {
    const known = Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined && value !== null)) as AuditDetails;
    this.audit(String(account.id), 'auth.login', 'refused', { method, reason, ...known });
    return refusal(reason, { triesLeft: facts.triesLeft });
  }

  /** Logs `account` in on `session`; also the first run's way of letting the new administrator in. */
  startSession(session: Session, account: StaffRow, method: LoginMethod = 'password', cardReader: string | null = null): LoginResult {
    if (session.operator) this.endSession(session, 'logout');
    const cleared = afterSuccessfulLogin();
    this.store.setLockout(account.id, cleared.failedLogins, cleared.lockedUntil);
    session.operator = { id: account.id, role: account.role, unitIds: this.unitIdsOf(account) };
    this.live.set(session, { staffId: account.id, lastActivity: this.now().getTime(), cardReader });
    this.audit(String(account.id), 'auth.login', 'ok', { method, ...(cardReader ? { reader: cardReader } : {}) });
    return { ok: true, operator: this.operatorInfo(account) };
  }

  /** Logs the session out; true when someone was logged in. */
  private endSession(session: Session, reason: SessionEndReason): boolean {
    const operator = session.operator;
    this.live.delete(session);
    if (!operator) return false;
    session.operator = null;
    this.audit(String(operator.id), 'auth.logout', 'ok', { reason });
    this.emit('session-ended', session.id, reason);
    return true;
  }

  private unitIdsOf(account: StaffRow): number[] {
    return account.role === 'unit-admin' ? this.store.unitIds(account.id) : [];
  }

  private operatorInfo(row: StaffRow): OperatorInfo {
    return { displayName: row.display_name, role: row.role };
  }

  /** Appends to the audit trail under this station's name; details are facts, never a secret. */
  audit(actor: string | null, action: string, outcome: AuditOutcome, details: AuditDetails): void {
    appendAudit(this.options.sqlite, { station: this.store.setting(STATION_NAME_SETTING) ?? hostname(), actor, action, outcome, details, at: this.now() });
  }
}
