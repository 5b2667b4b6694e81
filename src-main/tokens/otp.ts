// Verifies one-time codes from hardware tokens with otplib, adding look-ahead/drift bookkeeping and typed refusals.
// Synchronous on purpose: verifying does no I/O, so a service can check a code inside a transaction that may be re-run.
import { createGuardrails, verifySync } from 'otplib';
import type { HashAlgorithm } from 'otplib';

export type OtpHashAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

export const DEFAULT_HOTP_LOOK_AHEAD = 20;
export const DEFAULT_TOTP_WINDOW_STEPS = 10;
// otplib checks at most 99 codes per verification; ±49 steps is its ceiling.
const MAX_TOTP_WINDOW_STEPS = 49;
const MAX_HOTP_LOOK_AHEAD = 98;

export type OtpRejection =
  /** The code has the wrong number of digits; nothing was computed. */
  | 'wrong-length'
  /** The code contains something other than digits; nothing was computed. */
  | 'not-digits'
  /** No code in the window matched. */
  | 'no-match'
  /** The code matched a time step already used (replay). */
  | 'already-used'
  /** The counter is too large for the window to be checked. */
  | 'counter-exhausted';

export interface HotpCheck {
  readonly secret: Uint8Array;
  readonly algorithm: OtpHashAlgorithm;
  readonly digits: number;
  /** The next counter value the token is expected to show. */
  readonly counter: bigint;
  readonly code: string;
  readonly lookAhead?: number;
}

export type HotpVerification =
  | { readonly valid: true; readonly matchedCounter: bigint; readonly nextCounter: bigint }
  | { readonly valid: false; readonly reason: OtpRejection };

export interface TotpCheck {
  readonly secret: Uint8Array;
  readonly algorithm: OtpHashAlgorithm;
  readonly digits: number;
  readonly periodSeconds: number;
  readonly t0: number;
  /** The drift found at the previous successful check (0 for a new token). */
  readonly driftSteps: number;
  readonly code: string;
  readonly nowSeconds?: number;
  readonly windowSteps?: number;
  /** The time step of the last accepted code; it and earlier steps are refused. */
  readonly lastUsedStep?: number;
}

export type TotpVerification =
  | { readonly valid: true; readonly driftSteps: number; readonly timeStep: number }
  | { readonly valid: false; readonly reason: OtpRejection };

const otplibAlgorithm: Record<OtpHashAlgorithm, HashAlgorithm> = {
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
};

// Seed length is decided at import (PSKC files may carry short RFC example seeds); otplib's 16-byte floor would
// otherwise turn an imported token into one that can never be verified.
const guardrails = createGuardrails({ MIN_SECRET_BYTES: 1 });

function rejectMalformedCode(code: string, digits: number): OtpRejection | undefined {
  if (code.length !== digits) return 'wrong-length';
  if (!/^\d+$/.test(code)) return 'not-digits';
  return undefined;
}

function checkWindow(value: number, max: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer 0…${max}`);
  }
  return value;
}

export function verifyHotp(check: HotpCheck): HotpVerification {
  const lookAhead = checkWindow(check.lookAhead ?? DEFAULT_HOTP_LOOK_AHEAD, MAX_HOTP_LOOK_AHEAD, 'lookAhead');
  const malformed = rejectMalformedCode(check.code, check.digits);
  if (malformed) return { valid: false, reason: malformed };
  // otplib counts in JavaScript numbers; a counter this large is never reached by a real token.
  if (check.counter < 0n || check.counter + BigInt(lookAhead) > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { valid: false, reason: 'counter-exhausted' };
  }
  const result = verifySync({
    strategy: 'hotp',
    secret: check.secret,
    token: check.code,
    counter: Number(check.counter),
    counterTolerance: [0, lookAhead],
    algorithm: otplibAlgorithm[check.algorithm],
    digits: check.digits,
    guardrails,
  });
  if (!result.valid) return { valid: false, reason: 'no-match' };
  const matchedCounter = check.counter + BigInt(result.delta);
  return { valid: true, matchedCounter, nextCounter: matchedCounter + 1n };
}

export function verifyTotp(check: TotpCheck): TotpVerification {
  const windowSteps = checkWindow(
    check.windowSteps ?? DEFAULT_TOTP_WINDOW_STEPS,
    MAX_TOTP_WINDOW_STEPS,
    'windowSteps',
  );
  if (check.lastUsedStep !== undefined) checkWindow(check.lastUsedStep, Number.MAX_SAFE_INTEGER, 'lastUsedStep');
  const malformed = rejectMalformedCode(check.code, check.digits);
  if (malformed) return { valid: false, reason: malformed };
  const period = check.periodSeconds;
  // Looking from the token's clock keeps the window centred where the token was last seen.
  const tokenEpoch = Math.floor(check.nowSeconds ?? Date.now() / 1000) + check.driftSteps * period;
  if (tokenEpoch < check.t0) return { valid: false, reason: 'no-match' };
  const highestStep = Math.floor((tokenEpoch - check.t0) / period) + windowSteps;
  if (check.lastUsedStep !== undefined && check.lastUsedStep >= highestStep) {
    return { valid: false, reason: 'already-used' };
  }
  const verifyFrom = (afterTimeStep: number | undefined) =>
    verifySync({
      strategy: 'totp',
      secret: check.secret,
      token: check.code,
      epoch: tokenEpoch,
      t0: check.t0,
      period,
      epochTolerance: windowSteps * period,
      afterTimeStep,
      algorithm: otplibAlgorithm[check.algorithm],
      digits: check.digits,
      guardrails,
    });
  const result = verifyFrom(check.lastUsedStep);
  if (result.valid && 'timeStep' in result) {
    return { valid: true, driftSteps: check.driftSteps + result.delta, timeStep: result.timeStep };
  }
  // Tell a replayed code from a wrong one, so the operator hears "already used" rather than "wrong".
  const replayed = check.lastUsedStep !== undefined && verifyFrom(undefined).valid;
  return { valid: false, reason: replayed ? 'already-used' : 'no-match' };
}
