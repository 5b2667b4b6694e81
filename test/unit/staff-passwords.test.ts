import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { procedures } from '@shared/contract';
import { hashPassword, passwordMatches, passwordRejections } from '../../src-main/staff/passwords';

describe('staff passwords', () => {
  it('stores argon2id hashes only, each salted', async () => {
    const [a, b] = await Promise.all([hashPassword('Hemligt42'), hashPassword('Hemligt42')]);
    expect(a).toMatch(/^\$argon2id\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('Hemligt42');
    expect(await passwordMatches(a, 'Hemligt42')).toBe(true);
    expect(await passwordMatches(a, 'hemligt42')).toBe(false);
    expect(await passwordMatches(null, 'Hemligt42')).toBe(false);
  });

  it('applies the shared rules: length, upper case, digit, no å/ä/ö', () => {
    expect(passwordRejections('Hemligt42', [])).toEqual([]);
    expect(passwordRejections('kort1', [])).toEqual(['too-short', 'missing-upper-case']);
    expect(passwordRejections('Hemligtvarförstås', [])).toEqual(['missing-digit', 'forbidden-letter']);
  });

  it('refuses any of the last passwords it is given', async () => {
    const history = await Promise.all(['Forsta111', 'Andra2222'].map(hashPassword));
    expect(passwordRejections('Andra2222', history)).toEqual(['reused']);
    expect(passwordRejections('Tredje333', history)).toEqual([]);
  });

  it('never echoes a password, code or PIN in an invalid-input message', () => {
    const secret = 'Åsa-hemlighet-9';
    const inputs = [
      ['auth.loginPassword', { username: 'anna', password: secret.repeat(30), otp: secret }],
      ['auth.loginCard', { reader: 'r', pin: secret }],
      ['auth.changePassword', { currentPassword: secret.repeat(30), newPassword: secret.repeat(30) }],
      ['auth.resetWithCode', { username: 'anna', code: secret, choice: 'new-password', newPassword: secret.repeat(30) }],
      ['invitation.complete', { token: secret, password: secret.repeat(30), otp: secret }],
    ] as const;
    for (const [name, input] of inputs) {
      const result = v.safeParse(procedures[name].input, input);
      expect(result.success).toBe(false);
      expect(JSON.stringify(result.issues?.map((issue) => issue.message))).not.toContain('hemlighet');
    }
  });
});
