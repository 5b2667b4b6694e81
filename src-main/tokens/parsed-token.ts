// The common shape of a token read from any seed file, and the checks both file formats share.
import type { OtpHashAlgorithm } from './otp';
import { TokenFileError } from './token-file-error';

interface ParsedTokenCommon {
  readonly serial: string;
  readonly manufacturer?: string;
  readonly algorithm: OtpHashAlgorithm;
  readonly digits: number;
  readonly secret: Uint8Array;
}

export interface ParsedHotpToken extends ParsedTokenCommon {
  readonly kind: 'hotp';
  readonly counter: bigint;
}

export interface ParsedTotpToken extends ParsedTokenCommon {
  readonly kind: 'totp';
  readonly periodSeconds: number;
  /** Unix time (seconds) at which step 0 starts. */
  readonly t0: number;
  /** How many steps the token's clock runs ahead of ours (negative: behind). */
  readonly driftSteps: number;
}

export type ParsedToken = ParsedHotpToken | ParsedTotpToken;

export const MIN_DIGITS = 6;
export const MAX_DIGITS = 9;
export const MAX_SECRET_BYTES = 64;
export const MAX_COUNTER = 2n ** 64n - 1n;
export const DEFAULT_PERIOD_SECONDS = 30;
// otplib refuses longer steps; no hardware token uses more than a few minutes.
export const MAX_PERIOD_SECONDS = 3600;
// Far beyond any real clock drift, small enough that drift × period stays an exact number.
export const MAX_DRIFT_STEPS = 1_000_000;
export const MAX_SERIAL_LENGTH = 64;

export function parseDigits(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const trimmed = text.trim();
  if (!/^\d{1,2}$/.test(trimmed)) throw new TokenFileError('bad-digits');
  const digits = Number(trimmed);
  if (digits < MIN_DIGITS || digits > MAX_DIGITS) throw new TokenFileError('bad-digits');
  return digits;
}

export function checkCounter(counter: bigint): bigint {
  if (counter < 0n || counter > MAX_COUNTER) throw new TokenFileError('counter-out-of-range');
  return counter;
}

function parseWholeSeconds(text: string): number {
  const trimmed = text.trim();
  if (!/^\d{1,16}$/.test(trimmed)) throw new TokenFileError('bad-time-parameters');
  return Number(trimmed);
}

export function checkPeriod(seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_PERIOD_SECONDS) {
    throw new TokenFileError('bad-time-parameters');
  }
  return seconds;
}

export function checkT0(seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw new TokenFileError('bad-time-parameters');
  return seconds;
}

export function checkDrift(steps: number): number {
  if (!Number.isSafeInteger(steps) || Math.abs(steps) > MAX_DRIFT_STEPS) {
    throw new TokenFileError('bad-time-parameters');
  }
  return steps;
}

export const parsePeriod = (text: string): number => checkPeriod(parseWholeSeconds(text));

export function checkSecret(secret: Uint8Array): Uint8Array {
  if (secret.length === 0) throw new TokenFileError('missing-secret');
  if (secret.length > MAX_SECRET_BYTES) throw new TokenFileError('bad-secret-length');
  return secret;
}

export function normaliseSerial(raw: string | undefined): string {
  const serial = raw?.trim() ?? '';
  if (serial === '') throw new TokenFileError('missing-serial');
  if (serial.length > MAX_SERIAL_LENGTH || /[\p{Cc}\p{Cf}]/u.test(serial)) {
    throw new TokenFileError('bad-serial', { serial });
  }
  return serial;
}

/** Remembers serials already seen in one file, in O(1) per token, to refuse the whole file on a repeat. */
export class SerialRegistry {
  private readonly lineBySerial = new Map<string, number | undefined>();

  claim(serial: string, line: number | undefined): void {
    if (this.lineBySerial.has(serial)) {
      throw new TokenFileError('duplicate-serial', { serial, line });
    }
    this.lineBySerial.set(serial, line);
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict base64 (Buffer.from silently skips junk, which would hide a damaged file). */
export function decodeBase64(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) throw new TokenFileError('bad-encoding');
  return Buffer.from(compact, 'base64');
}

export function decodeHex(text: string): Buffer {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw new TokenFileError('bad-encoding');
  return Buffer.from(text, 'hex');
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, case-insensitive, padding optional; leftover bits must be zero. */
export function decodeBase32(text: string): Buffer {
  const symbols = text.toUpperCase().replace(/=+$/, '');
  const bytes: number[] = [];
  let buffer = 0;
  let bitCount = 0;
  for (const symbol of symbols) {
    const value = BASE32_ALPHABET.indexOf(symbol);
    if (value < 0) throw new TokenFileError('bad-encoding');
    buffer = ((buffer << 5) | value) & 0xfff;
    bitCount += 5;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes.push((buffer >> bitCount) & 0xff);
    }
  }
  if (bitCount >= 5 || (buffer & ((1 << bitCount) - 1)) !== 0) throw new TokenFileError('bad-encoding');
  return Buffer.from(bytes);
}
