import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { checkStaffOtp, newOtpSeed, otpauthUri, sealStaffSeed, STAFF_OTP_PERIOD_SECONDS } from '../../src-main/staff/otp';
import type { DataKeySource } from '../../src-main/tokens/seed-crypto';

const dataKey: DataKeySource = () => Buffer.alloc(32, 7);
const seed = newOtpSeed();
const sealed = sealStaffSeed(dataKey, 42, seed);
const now = new Date('2025-03-10T13:20:10Z');
const codeAt = (offsetSteps: number) => generateSync({ secret: seed, epoch: Math.floor(now.getTime() / 1000) + offsetSteps * STAFF_OTP_PERIOD_SECONDS });
const check = (code: string, extra: { lastUsedStep?: number | null; staffId?: number } = {}) =>
  checkStaffOtp(dataKey, { sealedSeed: sealed, staffId: extra.staffId ?? 42, code, lastUsedStep: extra.lastUsedStep ?? null, now });

describe('the one-time code as second factor', () => {
  it('accepts the current code and one step either side, nothing further', () => {
    expect(check(codeAt(0)).valid).toBe(true);
    expect(check(codeAt(-1)).valid).toBe(true);
    expect(check(codeAt(1)).valid).toBe(true);
    expect(check(codeAt(-2))).toEqual({ valid: false, reason: 'no-match' });
    expect(check(codeAt(2))).toEqual({ valid: false, reason: 'no-match' });
  });

  it('refuses a code whose time step was already used to log in', () => {
    const first = check(codeAt(0));
    if (!first.valid) throw new Error('expected the code to pass');
    expect(check(codeAt(0), { lastUsedStep: first.timeStep })).toEqual({ valid: false, reason: 'already-used' });
    expect(check(codeAt(1), { lastUsedStep: first.timeStep }).valid).toBe(true);
  });

  it("keeps the seed sealed to its account: another account's row does not open it", () => {
    expect(sealed.includes(seed)).toBe(false);
    expect(() => check(codeAt(0), { staffId: 43 })).toThrow(/dekrypteras/);
  });

  it('gives the enrolment URI an authenticator app reads', () => {
    const uri = new URL(otpauthUri('anna.berg', seed));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('issuer')).toBe('Kortstation');
    expect(uri.searchParams.get('secret')).toMatch(/^[A-Z2-7]{32}$/);
    expect(decodeURIComponent(uri.pathname)).toContain('anna.berg');
  });
});
