// Staff one-time codes: a TOTP seed per account, sealed at rest, shown once as an otpauth:// URI, checked with a small window.
import { randomBytes } from 'node:crypto';
import { generateURI, ScureBase32Plugin } from 'otplib';
import { OTP_DIGITS } from '@shared/contract';
import { verifyTotp, type TotpVerification } from '../tokens/otp';
import { openSeed, sealSeed, type DataKeySource } from '../tokens/seed-crypto';

export const STAFF_OTP_PERIOD_SECONDS = 30;
/** ±1 step (±30 s) around the station's clock, no drift following: apps and tokens enrolled here keep time well enough. */
export const STAFF_OTP_WINDOW_STEPS = 1;
const SEED_BYTES = 20;
const ISSUER = 'Kortstation';

const base32 = new ScureBase32Plugin();

// the account id is the associated data: a seed copied to another account's row does not open
const sealContext = (staffId: number): string => `staff-otp:${staffId}`;

export function newOtpSeed(): Buffer {
  return randomBytes(SEED_BYTES);
}

export function sealStaffSeed(dataKey: DataKeySource, staffId: number, seed: Uint8Array): Buffer {
  return sealSeed(dataKey(), sealContext(staffId), seed);
}

export function openStaffSeed(dataKey: DataKeySource, staffId: number, sealedSeed: Uint8Array): Buffer {
  return openSeed(dataKey(), sealContext(staffId), sealedSeed);
}

export function otpauthUri(username: string, seed: Uint8Array): string {
  return generateURI({
    issuer: ISSUER,
    label: username,
    secret: base32.encode(seed),
    algorithm: 'sha1',
    digits: OTP_DIGITS,
    period: STAFF_OTP_PERIOD_SECONDS,
  });
}

export interface StaffOtpCheck {
  sealedSeed: Uint8Array;
  staffId: number;
  code: string;
  lastUsedStep: number | null;
  now: Date;
}

export function checkStaffOtp(dataKey: DataKeySource, check: StaffOtpCheck): TotpVerification {
  const seed = openStaffSeed(dataKey, check.staffId, check.sealedSeed);
  try {
    return verifyTotp({
      secret: seed,
      algorithm: 'SHA1',
      digits: OTP_DIGITS,
      periodSeconds: STAFF_OTP_PERIOD_SECONDS,
      t0: 0,
      driftSteps: 0,
      code: check.code,
      nowSeconds: Math.floor(check.now.getTime() / 1000),
      windowSteps: STAFF_OTP_WINDOW_STEPS,
      lastUsedStep: check.lastUsedStep ?? undefined,
    });
  } finally {
    seed.fill(0);
  }
}
