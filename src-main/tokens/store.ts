// What every token service shares: the row and its public view, lookups within the caller's units, code checks and the history.
import type { TokenCategory, TokenInfo, TokenState } from '@shared/contract';
import { AppError } from '../app-error';
import type { Db } from '../db/data-layer';
import { readSetting } from '../db/settings';
import type { StationName } from '../organisation/station-label';
import type { Operator } from '../router';
import { DEFAULT_HOTP_LOOK_AHEAD, DEFAULT_TOTP_WINDOW_STEPS, verifyHotp, verifyTotp, type OtpHashAlgorithm, type OtpRejection } from './otp';
import { openSeed, SeedCryptoError, type DataKeySource } from './seed-crypto';
import { appendAudit, type AuditDetails } from '../audit/audit';
import { scopeAllowsUnit, scopeOf, type UnitScope } from '../organisation/organisation';

export interface TokenServiceContext {
  db: Db;
  dataKey: DataKeySource;
  /** The kiosk's current station name, for the audit trail (it is set at first run). */
  station: StationName;
  now: () => Date;
}

export interface TokenRow {
  id: number;
  serial: string;
  kind: 'hotp' | 'totp';
  algorithm: OtpHashAlgorithm;
  digits: number;
  period: number | null;
  t0: number | null;
  drift: number;
  counter: string | null;
  last_step: number | null;
  sealed_seed: Buffer;
  manufacturer: string | null;
  category: TokenCategory | null;
  state: TokenState;
  unit_id: number | null;
  person_id: number | null;
  issued_at: string | null;
  unit_name: string | null;
  unit_reference: string | null;
  person_name: string | null;
}

export const TOKEN_SELECT = `SELECT token.*, unit.name AS unit_name, unit.reference AS unit_reference,
  person.first_name || ' ' || person.surname AS person_name
  FROM token LEFT JOIN unit ON unit.id = token.unit_id LEFT JOIN person ON person.id = token.person_id`;

export function toTokenInfo(row: TokenRow): TokenInfo {
  return {
    serial: row.serial,
    kind: row.kind,
    state: row.state,
    category: row.category,
    manufacturer: row.manufacturer,
    unitId: row.unit_id,
    unitName: row.unit_name,
    reference: row.unit_reference,
    personId: row.person_id,
    personName: row.person_name,
    issuedAt: row.issued_at,
  };
}

/** A unit administrator sees only tokens owned by their units; the station's own stock belongs to no unit. */
export function scopeAllowsToken(scope: UnitScope, row: Pick<TokenRow, 'unit_id'>): boolean {
  return scope.kind === 'all' || (row.unit_id !== null && scopeAllowsUnit(scope, row.unit_id));
}

/**
 * The token with this serial that the operator may see; one outside their units is as good as absent. `lock`: its row is
 * locked to the end of the transaction (PostgreSQL; SQLite's one writer holds the whole file).
 */
export async function tokenBySerial(db: Db, operator: Operator, serial: string, { lock = false } = {}): Promise<TokenRow> {
  const row = await db.one<TokenRow>(`${TOKEN_SELECT} WHERE token.serial = ?${lock && db.engine === 'postgres' ? ' FOR UPDATE OF token' : ''}`, [serial]);
  if (!row || !scopeAllowsToken(scopeOf(operator), row)) throw new AppError('token-not-found', `No token with serial ${serial}`);
  return row;
}

export function requireState(row: TokenRow, allowed: readonly TokenState[]): void {
  if (!allowed.includes(row.state)) throw new AppError('token-wrong-state', `Token ${row.serial} is ${row.state}, expected ${allowed.join(' or ')}`);
}

/** The person if the operator may see them: a unit administrator only sees people of their units. */
export async function personInScope(db: Db, operator: Operator, personId: number): Promise<{ id: number }> {
  const scope = scopeOf(operator);
  // a unit administrator of no units sees nobody; IN () is no SQL
  const person =
    scope.kind === 'all'
      ? await db.one<{ id: number }>('SELECT id FROM person WHERE id = ?', [personId])
      : scope.unitIds.length === 0
        ? undefined
        : await db.one<{ id: number }>(`SELECT DISTINCT person_id AS id FROM person_unit WHERE person_id = ? AND unit_id IN (${scope.unitIds.map(() => '?').join(', ')})`, [
            personId,
            ...scope.unitIds,
          ]);
  if (!person) throw new AppError('not-found', `No person with id ${personId}`);
  return person;
}

export interface VerificationWindows {
  hotpLookAhead: number;
  totpWindowSteps: number;
}

async function settingNumber(db: Db, key: string, fallback: number, max: number): Promise<number> {
  const text = (await readSetting(db, key))?.trim();
  return text !== undefined && /^\d{1,4}$/.test(text) ? Math.min(Number(text), max) : fallback;
}

/** Token settings; an absent row means the default, as with every station setting. */
export const TOKEN_SETTINGS = { lostCharge: 'tokens.lostCharge', supportContact: 'tokens.supportContact', hotpLookAhead: 'tokens.hotpLookAhead', totpWindow: 'tokens.totpWindow' } as const;

/** The windows of the settings, clamped to what otplib can check in one call. */
export async function verificationWindows(db: Db): Promise<VerificationWindows> {
  return {
    hotpLookAhead: await settingNumber(db, TOKEN_SETTINGS.hotpLookAhead, DEFAULT_HOTP_LOOK_AHEAD, 98),
    totpWindowSteps: await settingNumber(db, TOKEN_SETTINGS.totpWindow, DEFAULT_TOTP_WINDOW_STEPS, 49),
  };
}

/** What a valid code moves forward, so the next check starts where this one ended. */
export interface CodeProgress {
  counter: string | null;
  drift: number;
  lastStep: number | null;
}

export type CodeCheck = { valid: true; progress: CodeProgress } | { valid: false; reason: OtpRejection };

export function openTokenSeed(dataKey: DataKeySource, row: TokenRow): Buffer {
  try {
    return openSeed(dataKey(), row.serial, row.sealed_seed);
  } catch (error) {
    if (error instanceof SeedCryptoError && error.code === 'seed-unreadable') throw new AppError('token-seed-unreadable', error.message);
    throw error;
  }
}

export function checkTokenCode(row: TokenRow, seed: Uint8Array, code: string, windows: VerificationWindows, now: Date): CodeCheck {
  const common = { secret: seed, algorithm: row.algorithm, digits: row.digits, code };
  if (row.kind === 'hotp') {
    const result = verifyHotp({ ...common, counter: BigInt(row.counter ?? '0'), lookAhead: windows.hotpLookAhead });
    return result.valid ? { valid: true, progress: { counter: result.nextCounter.toString(), drift: row.drift, lastStep: null } } : result;
  }
  const result = verifyTotp({
    ...common,
    periodSeconds: row.period ?? 30,
    t0: row.t0 ?? 0,
    driftSteps: row.drift,
    nowSeconds: Math.floor(now.getTime() / 1000),
    windowSteps: windows.totpWindowSteps,
    lastUsedStep: row.last_step ?? undefined,
  });
  return result.valid ? { valid: true, progress: { counter: null, drift: result.driftSteps, lastStep: result.timeStep } } : result;
}

export async function saveProgress(db: Db, tokenId: number, progress: CodeProgress): Promise<void> {
  await db.run('UPDATE token SET counter = ?, drift = ?, last_step = ? WHERE id = ?', [progress.counter, progress.drift, progress.lastStep, tokenId]);
}

export interface TokenChange {
  token: Pick<TokenRow, 'id' | 'serial'>;
  /** A dotted audit code: 'token.issued', 'token.lost'. */
  action: string;
  personId: number | null;
  details?: AuditDetails;
}

/** Records one change in the token's own history and in the audit trail; call inside the change's transaction. */
export async function recordTokenChange(context: TokenServiceContext, operator: Operator | null, change: TokenChange, at: Date): Promise<void> {
  const actor = operator ? String(operator.id) : null;
  const details = { ...(change.personId === null ? {} : { personId: change.personId }), ...change.details };
  const station = await context.station();
  await context.db.run('INSERT INTO token_event (token_id, at, action, person_id, actor, details, station) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    change.token.id,
    at.toISOString(),
    change.action.replace(/^token\./, ''),
    change.personId,
    actor,
    Object.keys(details).length ? JSON.stringify(details) : null,
    station,
  ]);
  await appendAudit(context.db, { station, actor, action: change.action, subjectType: 'token', subjectId: change.token.serial, outcome: 'ok', details, at });
}

/** The unit that pays for a token with no owning unit: the first unit of the person who had it. */
export function firstUnitOf(db: Db, personId: number): Promise<{ id: number; reference: string } | undefined> {
  return db.one<{ id: number; reference: string }>(
    'SELECT unit.id, unit.reference FROM person_unit JOIN unit ON unit.id = person_unit.unit_id WHERE person_unit.person_id = ? ORDER BY unit.id LIMIT 1',
    [personId],
  );
}
