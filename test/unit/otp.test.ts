import { describe, expect, it } from 'vitest';
import { verifyHotp, verifyTotp } from '../../src-main/tokens/otp';
import type { OtpHashAlgorithm } from '../../src-main/tokens/otp';

const ascii = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));
const RFC_4226_SEED = ascii('12345678901234567890');

// RFC 4226 Appendix D: HOTP-SHA1, 6 digits, counters 0–9.
const RFC_4226_CODES = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];

// RFC 6238 Appendix B: 8 digits, 30 s steps from T0 = 0, one seed per hash.
const RFC_6238_SEEDS: Record<OtpHashAlgorithm, Uint8Array> = {
  SHA1: ascii('12345678901234567890'),
  SHA256: ascii('12345678901234567890123456789012'),
  SHA512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
};
const RFC_6238_VECTORS: ReadonlyArray<readonly [number, OtpHashAlgorithm, string]> = [
  [59, 'SHA1', '94287082'],
  [59, 'SHA256', '46119246'],
  [59, 'SHA512', '90693936'],
  [1111111109, 'SHA1', '07081804'],
  [1111111109, 'SHA256', '68084774'],
  [1111111109, 'SHA512', '25091201'],
  [1111111111, 'SHA1', '14050471'],
  [1111111111, 'SHA256', '67062674'],
  [1111111111, 'SHA512', '99943326'],
  [1234567890, 'SHA1', '89005924'],
  [1234567890, 'SHA256', '91819424'],
  [1234567890, 'SHA512', '93441116'],
  [2000000000, 'SHA1', '69279037'],
  [2000000000, 'SHA256', '90698825'],
  [2000000000, 'SHA512', '38618901'],
  [20000000000, 'SHA1', '65353130'],
  [20000000000, 'SHA256', '77737706'],
  [20000000000, 'SHA512', '47863826'],
];

const hotpToken = { secret: RFC_4226_SEED, algorithm: 'SHA1' as const, digits: 6 };
const totpToken = (algorithm: OtpHashAlgorithm) => ({
  secret: RFC_6238_SEEDS[algorithm],
  algorithm,
  digits: 8,
  periodSeconds: 30,
  t0: 0,
  driftSteps: 0,
});

describe('HOTP verification', () => {
  it.each(RFC_4226_CODES.map((code, counter) => [counter, code] as const))(
    'accepts the RFC 4226 code for counter %i and moves the counter past it',
    (counter, code) => {
      expect(verifyHotp({ ...hotpToken, counter: BigInt(counter), code, lookAhead: 0 })).toEqual({
        valid: true,
        matchedCounter: BigInt(counter),
        nextCounter: BigInt(counter) + 1n,
      });
    },
  );

  it('finds a code pressed ahead within the look-ahead window and reports its counter', () => {
    expect(verifyHotp({ ...hotpToken, counter: 0n, code: RFC_4226_CODES[7]! })).toMatchObject({
      valid: true,
      matchedCounter: 7n,
      nextCounter: 8n,
    });
  });

  it('refuses a code behind the counter (replay) or beyond the window', () => {
    expect(verifyHotp({ ...hotpToken, counter: 5n, code: RFC_4226_CODES[4]! })).toEqual({ valid: false, reason: 'no-match' });
    expect(verifyHotp({ ...hotpToken, counter: 0n, code: RFC_4226_CODES[7]!, lookAhead: 6 })).toEqual({
      valid: false,
      reason: 'no-match',
    });
  });

  it('checks SHA-256 and SHA-512 seeds as HOTP with the RFC 6238 step as counter', () => {
    for (const algorithm of ['SHA256', 'SHA512'] as const) {
      const [, , code] = RFC_6238_VECTORS.find(([time, hash]) => time === 59 && hash === algorithm)!;
      const result = verifyHotp({ ...totpToken(algorithm), counter: 0n, code });
      expect(result).toMatchObject({ valid: true, matchedCounter: 1n });
    }
  });

  it('refuses codes of the wrong length or with non-digits before computing anything', () => {
    // An empty seed would make otplib throw, so a plain refusal proves nothing was computed.
    const unusable = { ...hotpToken, secret: new Uint8Array(), counter: 0n };
    expect(verifyHotp({ ...unusable, code: '75522' })).toEqual({ valid: false, reason: 'wrong-length' });
    expect(verifyHotp({ ...unusable, code: '7552244' })).toEqual({ valid: false, reason: 'wrong-length' });
    expect(verifyHotp({ ...unusable, code: '75522a' })).toEqual({ valid: false, reason: 'not-digits' });
  });

  it('reports a counter too large to check instead of failing', () => {
    expect(verifyHotp({ ...hotpToken, counter: 2n ** 64n - 1n, code: '123456' })).toEqual({
      valid: false,
      reason: 'counter-exhausted',
    });
  });
});

describe('TOTP verification', () => {
  it.each(RFC_6238_VECTORS)('accepts the RFC 6238 code at T=%i with %s', (time, algorithm, code) => {
    expect(verifyTotp({ ...totpToken(algorithm), code, nowSeconds: time, windowSteps: 0 })).toEqual({
      valid: true,
      driftSteps: 0,
      timeStep: Math.floor(time / 30),
    });
  });

  it('finds a token whose clock runs three steps ahead and keeps that drift for the next check', () => {
    const first = verifyTotp({ ...totpToken('SHA1'), code: '07081804', nowSeconds: 1111111109 - 3 * 30 });
    expect(first).toEqual({ valid: true, driftSteps: 3, timeStep: 37037036 });
    // One step later, starting from the learned drift, the code is found at the centre of the window.
    const second = verifyTotp({ ...totpToken('SHA1'), code: '14050471', nowSeconds: 1111111111 - 3 * 30, driftSteps: 3, windowSteps: 0 });
    expect(second).toEqual({ valid: true, driftSteps: 3, timeStep: 37037037 });
  });

  it('accepts drift up to the window and refuses beyond it', () => {
    const check = { ...totpToken('SHA1'), code: '07081804' };
    expect(verifyTotp({ ...check, nowSeconds: 1111111109 + 10 * 30 })).toMatchObject({ valid: true, driftSteps: -10 });
    expect(verifyTotp({ ...check, nowSeconds: 1111111109 + 11 * 30 })).toEqual({ valid: false, reason: 'no-match' });
    expect(verifyTotp({ ...check, nowSeconds: 1111111109 - 11 * 30 })).toEqual({ valid: false, reason: 'no-match' });
  });

  it('counts steps from T0', () => {
    const shifted = { ...totpToken('SHA1'), t0: 1000 };
    expect(verifyTotp({ ...shifted, code: '94287082', nowSeconds: 1059, windowSteps: 0 })).toMatchObject({ valid: true, timeStep: 1 });
    expect(verifyTotp({ ...shifted, code: '94287082', nowSeconds: 59, windowSteps: 0 })).toEqual({ valid: false, reason: 'no-match' });
  });

  it('refuses a code from a step already used', () => {
    const check = { ...totpToken('SHA1'), code: '14050471', nowSeconds: 1111111111 };
    expect(verifyTotp({ ...check, lastUsedStep: 37037037 })).toEqual({ valid: false, reason: 'already-used' });
    expect(verifyTotp({ ...check, lastUsedStep: 37037036 })).toMatchObject({ valid: true, timeStep: 37037037 });
    expect(verifyTotp({ ...check, code: '00000000', lastUsedStep: 37037036 })).toEqual({ valid: false, reason: 'no-match' });
  });

  it('refuses codes of the wrong length before computing anything', () => {
    const unusable = { ...totpToken('SHA1'), secret: new Uint8Array(), nowSeconds: 59 };
    expect(verifyTotp({ ...unusable, code: '942870' })).toEqual({ valid: false, reason: 'wrong-length' });
    expect(verifyTotp({ ...unusable, code: '9428708x' })).toEqual({ valid: false, reason: 'not-digits' });
  });

  it('rejects windows otplib cannot check as a programming error', () => {
    expect(() => verifyTotp({ ...totpToken('SHA1'), code: '94287082', nowSeconds: 59, windowSteps: 50 })).toThrow(RangeError);
    expect(() => verifyHotp({ ...hotpToken, counter: 0n, code: '755224', lookAhead: -1 })).toThrow(RangeError);
  });
});
