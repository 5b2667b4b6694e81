import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isValidSwedishMobile,
  normalizeSwedishMobile,
  swedishNationalDigits,
} from '@shared/domain/phone';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

describe('normalizeSwedishMobile', () => {
  it.each([
    ['0701234567', '+46701234567'],
    ['070-123 45 67', '+46701234567'],
    ['070 - 123 45 67', '+46701234567'],
    ['+46701234567', '+46701234567'],
    ['+46 70 123 45 67', '+46701234567'],
    ['+46 (0)70-123 45 67', '+46701234567'],
    ['0046 70 123 45 67', '+46701234567'],
    ['0046701234567', '+46701234567'],
    ['  0721234567  ', '+46721234567'],
    ['073.123.45.67', '+46731234567'],
    ['076/1234567', '+46761234567'],
    ['0791234567', '+46791234567'],
  ])('%j → %s', (input, expected) => {
    expect(normalizeSwedishMobile(input)).toBe(expected);
  });

  it.each([
    ['a landline', '08-123 456 78'],
    ['a machine-to-machine number', '0711234567'],
    ['an unassigned 07 series', '0741234567'],
    ['a premium-rate number', '0900123456'],
    ['a digit short', '070123456'],
    ['a digit too many', '07012345678'],
    ['a foreign mobile', '+4791234567'],
    ['a foreign number with 00', '004791234567'],
    ['the trunk 0 missing', '701234567'],
    ['a plus inside', '070+1234567'],
    ['letters', '070-ABC 45 67'],
    ['nothing', ''],
    ['only separators', ' - '],
  ])('refuses %s (%j)', (_label, input) => {
    expect(normalizeSwedishMobile(input)).toBeNull();
    expect(isValidSwedishMobile(input)).toBe(false);
  });

  const nationalMobile = fc
    .tuple(fc.constantFrom('0', '2', '3', '6', '9'), fc.stringMatching(/^\d{7}$/))
    .map(([series, subscriber]) => `07${series}${subscriber}`);

  it('property: every spelling of a mobile number normalizes to the same E.164 form', () => {
    fc.assert(
      fc.property(
        nationalMobile,
        fc.constantFrom('national', 'plus', 'double-zero', 'bracketed-trunk'),
        fc.array(fc.constantFrom(' ', '-'), { minLength: 9, maxLength: 9 }),
        (national, prefixStyle, separators) => {
          const subscriber = national.slice(1);
          const spaced = [...subscriber].map((digit, i) => digit + (separators[i] ?? '')).join('');
          const prefix = {
            national: '0',
            plus: '+46 ',
            'double-zero': '0046 ',
            'bracketed-trunk': '+46 (0)',
          }[prefixStyle];
          const expected = `+46${subscriber}`;
          expect(normalizeSwedishMobile(prefix + spaced)).toBe(expected);
          expect(normalizeSwedishMobile(expected)).toBe(expected);
        },
      ),
    );
  }, PROPERTY_BUDGET_MS);

  it('property: a normalized number is always +467 followed by eight digits', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const normalized = normalizeSwedishMobile(input);
        if (normalized !== null) expect(normalized).toMatch(/^\+467[02369]\d{7}$/);
      }),
    );
  }, PROPERTY_BUDGET_MS);
});

describe('swedishNationalDigits', () => {
  it.each([
    ['+46 70-123 45 67', '0701234567'],
    ['+46 (0)8-123 456 78', '0812345678'],
    ['0046 8 123 456 78', '0812345678'],
    ['08-123 456 78', '0812345678'],
    ['+47 912 34 567', '4791234567'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(swedishNationalDigits(input)).toBe(expected);
  });
});
