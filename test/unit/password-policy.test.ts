import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  checkNewPassword,
  PASSWORD_MIN_LENGTH,
  passwordRejectionMessages,
  type PasswordRejectionCode,
} from '@shared/domain/password-policy';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

const neverUsed = { isReused: () => false };

describe('checkNewPassword', () => {
  it.each(['Sommar2025', 'Kortstation1', 'ABCDEFG1', 'x9Y!x9Y!', 'Élan1234'])(
    'accepts %j',
    (password) => {
      expect(checkNewPassword(password, neverUsed)).toEqual([]);
    },
  );

  it.each<[string, string, PasswordRejectionCode[]]>([
    ['seven characters', 'Abcdef1', ['too-short']],
    ['no upper-case letter', 'sommar2025', ['missing-upper-case']],
    ['no digit', 'Sommarsol', ['missing-digit']],
    ['å', 'Gåvor2025', ['forbidden-letter']],
    ['ä', 'Häst2025x', ['forbidden-letter']],
    ['ö', 'Sjöstad2025', ['forbidden-letter']],
    ['Å (upper case)', 'Åkersberga1', ['forbidden-letter']],
    ['Ä (upper case)', 'xÄlvsjo2025', ['forbidden-letter']],
    ['Ö (upper case)', 'Örebro2025', ['forbidden-letter']],
    ['å written as a plus combining ring', 'Ga\u030Avor2025', ['forbidden-letter']],
    [
      'everything wrong',
      'åäö',
      ['too-short', 'missing-upper-case', 'missing-digit', 'forbidden-letter'],
    ],
    ['nothing', '', ['too-short', 'missing-upper-case', 'missing-digit']],
  ])('refuses a password with %s', (_label, password, expected) => {
    expect(checkNewPassword(password, neverUsed)).toEqual(expected);
  });

  it('asks for a special character (seed 002) only when the organisation chose it', () => {
    expect(checkNewPassword('Sommar2025', neverUsed)).toEqual([]);
    expect(checkNewPassword('Sommar2025', { ...neverUsed, requireSpecial: true })).toEqual(['missing-special']);
    expect(checkNewPassword('Sommar-2025', { ...neverUsed, requireSpecial: true })).toEqual([]);
    expect(checkNewPassword('Sommar 2025', { ...neverUsed, requireSpecial: true })).toEqual([]);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(checkNewPassword('Ab1😀😀😀😀', neverUsed)).toEqual(['too-short']);
    expect(checkNewPassword('Ab1😀😀😀😀😀', neverUsed)).toEqual([]);
  });

  it('refuses a password the predicate says was used before', () => {
    const isReused = vi.fn((password: string) => password === 'Sommar2024');
    expect(checkNewPassword('Sommar2024', { isReused })).toEqual(['reused']);
    expect(checkNewPassword('Sommar2025', { isReused })).toEqual([]);
    expect(isReused).toHaveBeenCalledWith('Sommar2024');
  });

  it('does not spend a hash comparison on a password the other rules already refuse', () => {
    const isReused = vi.fn(() => true);
    expect(checkNewPassword('kort', { isReused })).not.toContain('reused');
    expect(isReused).not.toHaveBeenCalled();
  });

  it('property: an accepted password meets every rule', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.stringMatching(/^[A-Za-zåäöÅÄÖ0-9!\u030A]{0,12}$/),
          fc.string({ unit: 'grapheme', maxLength: 16 }),
        ),
        (password) => {
        if (checkNewPassword(password, neverUsed).length > 0) return;
        const composed = password.normalize('NFC');
        expect([...composed].length).toBeGreaterThanOrEqual(PASSWORD_MIN_LENGTH);
        expect(composed).toMatch(/\p{Lu}/u);
        expect(composed).toMatch(/\d/);
        expect(composed).not.toMatch(/[åäöÅÄÖ]/);
        },
      ),
    );
  }, PROPERTY_BUDGET_MS);

  it('property: å, ä or ö anywhere in an accepted password gets it refused for that alone', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z][a-z]{6}[0-9]$/),
        fc.constantFrom('å', 'ä', 'ö', 'Å', 'Ä', 'Ö'),
        fc.nat(),
        (password, letter, at) => {
          const position = at % (password.length + 1);
          const withLetter = password.slice(0, position) + letter + password.slice(position);
          expect(checkNewPassword(password, neverUsed)).toEqual([]);
          expect(checkNewPassword(withLetter, neverUsed)).toEqual(['forbidden-letter']);
        },
      ),
    );
  }, PROPERTY_BUDGET_MS);
});

describe('passwordRejectionMessages', () => {
  it('gives each code its own Swedish and English message', () => {
    const messages = Object.values(passwordRejectionMessages);
    expect(Object.keys(passwordRejectionMessages).sort()).toEqual(
      ['forbidden-letter', 'missing-digit', 'missing-special', 'missing-upper-case', 'reused', 'too-short'],
    );
    expect(new Set(messages.map((m) => m.sv)).size).toBe(messages.length);
    expect(new Set(messages.map((m) => m.en)).size).toBe(messages.length);
    for (const { sv, en } of messages) {
      expect(sv).not.toBe(en);
      expect(sv).toMatch(/^Lösenordet|^Du /);
    }
    expect(passwordRejectionMessages['too-short'].sv).toContain(String(PASSWORD_MIN_LENGTH));
  });
});
