import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  birthDateOf,
  formatPersonalNumber,
  maskPersonalNumber,
  parsePersonalNumber,
} from '@shared/domain/personnummer';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

// Independent Luhn oracle: check digit over YYMMDDNNN, as Skatteverket computes it.
function luhnCheckDigit(nineDigits: string): string {
  const sum = [...nineDigits].reduce((acc, char, i) => {
    const value = Number(char) * (i % 2 === 0 ? 2 : 1);
    return acc + (value > 9 ? value - 9 : value);
  }, 0);
  return String((10 - (sum % 10)) % 10);
}

/** YYYYMMDDNNN (day as written, +60 for coordination numbers) → the 12-digit number. */
function withCheckDigit(yyyymmddnnn: string): string {
  return yyyymmddnnn + luhnCheckDigit(yyyymmddnnn.slice(2));
}

const TODAY = new Date(2025, 5, 15); // 15 June 2025, local time

describe('parsePersonalNumber', () => {
  it('accepts the Skatteverket test number in every written form', () => {
    for (const input of ['19121212-1212', '191212121212', '121212+1212', ' 19121212-1212 ']) {
      expect(parsePersonalNumber(input, TODAY)).toEqual({
        ok: true,
        normalized12: '191212121212',
        birthDate: '1912-12-12',
        isCoordinationNumber: false,
        sex: 'male',
      });
    }
  });

  it('reads a 10-digit number with "-" as under 100 years old', () => {
    const result = parsePersonalNumber('121212-1212', TODAY);
    expect(result).toMatchObject({
      ok: true,
      normalized12: '201212121212',
      birthDate: '2012-12-12',
    });
    expect(parsePersonalNumber('1212121212', TODAY)).toEqual(result);
  });

  it('reads a 10-digit number with "+" as 100 years or older', () => {
    expect(parsePersonalNumber('121212+1212', TODAY)).toMatchObject({
      ok: true,
      normalized12: '191212121212',
    });
  });

  it('places the century by the whole birth date, not only the year', () => {
    const bornOn = (mmdd: string) => withCheckDigit(`2025${mmdd}123`).slice(2);
    const yesterday = bornOn('0614');
    const today = bornOn('0615');
    const tomorrow = bornOn('0616');
    const centuryOf = (tenDigits: string, separator: '-' | '+') => {
      const result = parsePersonalNumber(
        `${tenDigits.slice(0, 6)}${separator}${tenDigits.slice(6)}`,
        TODAY,
      );
      return result.ok ? result.normalized12.slice(0, 2) : result.code;
    };
    expect(centuryOf(yesterday, '-')).toBe('20');
    expect(centuryOf(today, '-')).toBe('20');
    // Born 16 June: not yet born in 2025, so 1925, and 99 years old today.
    expect(centuryOf(tomorrow, '-')).toBe('19');
    expect(centuryOf(yesterday, '+')).toBe('19');
    expect(centuryOf(tomorrow, '+')).toBe('18');
  });

  it('takes the century of a 12-digit number as written, whatever the separator', () => {
    expect(parsePersonalNumber('19121212+1212', TODAY)).toMatchObject({
      ok: true,
      normalized12: '191212121212',
    });
  });

  it('accepts a coordination number and reports its real birth date', () => {
    const number = withCheckDigit('19701063238'); // born 3 October 1970
    expect(parsePersonalNumber(number, TODAY)).toEqual({
      ok: true,
      normalized12: number,
      birthDate: '1970-10-03',
      isCoordinationNumber: true,
      sex: 'female',
    });
  });

  it('reports sex from the second-to-last digit', () => {
    expect(parsePersonalNumber(withCheckDigit('19850412382'), TODAY)).toMatchObject({
      ok: true,
      sex: 'female',
    });
    expect(parsePersonalNumber(withCheckDigit('19850412387'), TODAY)).toMatchObject({
      ok: true,
      sex: 'male',
    });
  });

  it('reports a wrong check digit as check-digit', () => {
    expect(parsePersonalNumber('19121212-1213', TODAY)).toEqual({ ok: false, code: 'check-digit' });
    expect(parsePersonalNumber('121212-1211', TODAY)).toEqual({ ok: false, code: 'check-digit' });
  });

  it.each([
    ['30 February', withCheckDigit('19850230123')],
    ['month 13', withCheckDigit('19851301123')],
    ['day 00', withCheckDigit('19850400123')],
    ['31 April', withCheckDigit('19850431123')],
    ['29 February 1900 (not a leap year)', withCheckDigit('19000229123')],
    ['a day between 32 and 60', withCheckDigit('19850445123')],
    ['a coordination day past the month (31+60 in April)', withCheckDigit('19850491123')],
    ['a birth date after today', withCheckDigit('20250616123')],
  ])('reports %s as date', (_label, number) => {
    expect(parsePersonalNumber(number, TODAY)).toEqual({ ok: false, code: 'date' });
  });

  it('accepts 29 February in a leap year, also as a coordination number', () => {
    expect(parsePersonalNumber(withCheckDigit('20000229123'), TODAY)).toMatchObject({
      ok: true,
      birthDate: '2000-02-29',
    });
    expect(parsePersonalNumber(withCheckDigit('20000289123'), TODAY)).toMatchObject({
      ok: true,
      birthDate: '2000-02-29',
      isCoordinationNumber: true,
    });
  });

  it.each([
    '',
    '19121212',
    '19121212-121',
    '1912121212123',
    '19121212 1212',
    '19121212--1212',
    '1912121-21212',
    '19121212-T212',
    '19121212-000X',
    '19121212:1212',
    'ABCDEFGH-1212',
  ])('reports %j as format', (input) => {
    expect(parsePersonalNumber(input, TODAY)).toEqual({ ok: false, code: 'format' });
  });

  it('refuses the birth serial 000, which is never issued', () => {
    expect(parsePersonalNumber(withCheckDigit('19121212000'), TODAY)).toEqual({
      ok: false,
      code: 'format',
    });
  });

  const validNumber = fc
    .record({
      year: fc.integer({ min: 1900, max: 2024 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
      serial: fc.integer({ min: 1, max: 999 }),
      coordination: fc.boolean(),
    })
    .map(({ year, month, day, serial, coordination }) => {
      const pad = (n: number, width: number) => String(n).padStart(width, '0');
      const writtenDay = coordination ? day + 60 : day;
      return withCheckDigit(`${year}${pad(month, 2)}${pad(writtenDay, 2)}${pad(serial, 3)}`);
    });

  it('property: every valid number parses and round-trips through its printed form', () => {
    fc.assert(
      fc.property(validNumber, (number) => {
        const parsed = parsePersonalNumber(number, TODAY);
        expect(parsed).toMatchObject({ ok: true, normalized12: number });
        expect(parsePersonalNumber(formatPersonalNumber(number), TODAY)).toEqual(parsed);
      }),
    );
  }, PROPERTY_BUDGET_MS);

  it('property: a one-digit typo in the last ten digits is never accepted', () => {
    fc.assert(
      fc.property(
        validNumber,
        fc.integer({ min: 2, max: 11 }),
        fc.integer({ min: 1, max: 9 }),
        (number, position, shift) => {
          const typo = String((Number(number[position]) + shift) % 10);
          const mistyped = number.slice(0, position) + typo + number.slice(position + 1);
          expect(parsePersonalNumber(mistyped, TODAY).ok).toBe(false);
        },
      ),
    );
  }, PROPERTY_BUDGET_MS);

  it('property: a short form is under 100 years old with "-", 100 more with "+"', () => {
    fc.assert(
      fc.property(validNumber, (number) => {
        const short = number.slice(2, 8) + number.slice(8);
        const young = parsePersonalNumber(`${short.slice(0, 6)}-${short.slice(6)}`, TODAY);
        const old = parsePersonalNumber(`${short.slice(0, 6)}+${short.slice(6)}`, TODAY);
        // Days are 1..28, so every short form is a real date in any century.
        if (!young.ok || !old.ok) throw new Error(`short form of ${number} refused`);
        expect(young.birthDate <= '2025-06-15').toBe(true);
        expect(young.birthDate > '1925-06-15').toBe(true);
        expect(Number(old.birthDate.slice(0, 4))).toBe(Number(young.birthDate.slice(0, 4)) - 100);
      }),
    );
  }, PROPERTY_BUDGET_MS);
});

describe('birthDateOf', () => {
  it('removes the coordination-number offset', () => {
    expect(birthDateOf('197010632383')).toBe('1970-10-03');
    expect(birthDateOf('191212121212')).toBe('1912-12-12');
  });
});

describe('formatPersonalNumber and maskPersonalNumber', () => {
  it('print YYYYMMDD-XXXX and YYYYMMDD-****', () => {
    expect(formatPersonalNumber('191212121212')).toBe('19121212-1212');
    expect(maskPersonalNumber('191212121212')).toBe('19121212-****');
  });

  it.each(['19121212-1212', '1212121212', '', '19121212121a'])(
    'throw on the non-normalized %j',
    (value) => {
      expect(() => formatPersonalNumber(value)).toThrow(RangeError);
      expect(() => maskPersonalNumber(value)).toThrow(RangeError);
      expect(() => birthDateOf(value)).toThrow(RangeError);
    },
  );
});
