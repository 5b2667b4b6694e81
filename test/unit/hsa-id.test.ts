import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidHsaId, normalizeHsaId } from '@shared/domain/hsa-id';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

// Organisation numbers of real directory owners; each carries a valid Luhn check digit.
const REGION_STOCKHOLM = '2321000016';
const VASTRA_GOTALANDSREGIONEN = '2321000131';
const INERA = '5565594230';

describe('isValidHsaId', () => {
  it.each([
    `SE${REGION_STOCKHOLM}-1003`,
    `SE${VASTRA_GOTALANDSREGIONEN}-E000000000001`,
    `SE${INERA}-B8N`,
    'SE162321000255-O12345',
    `SE${REGION_STOCKHOLM}-a`,
    `SE${REGION_STOCKHOLM}-abcDEF123`,
  ])('accepts %s', (id) => {
    expect(isValidHsaId(id)).toBe(true);
  });

  it.each([
    ['a wrong organisation check digit', 'SE2321000017-1003'],
    ['a wrong check digit after the 16 prefix', 'SE162321000256-O12345'],
    ['a nine-digit organisation number', 'SE232100001-1003'],
    ['an eleven-digit organisation number', 'SE23210000161-1003'],
    ['a dash inside the organisation number', 'SE232100-0016-1003'],
    ['no local part', `SE${REGION_STOCKHOLM}-`],
    ['no dash', `SE${REGION_STOCKHOLM}1003`],
    ['two dashes', `SE${REGION_STOCKHOLM}-10-03`],
    ['å in the local part', `SE${REGION_STOCKHOLM}-Åsa1`],
    ['ö in the local part', `SE${REGION_STOCKHOLM}-bjö`],
    ['an @', `SE${REGION_STOCKHOLM}-a@b`],
    ['a space', `SE${REGION_STOCKHOLM}-10 03`],
    ['a lower-case prefix (normalize first)', `se${REGION_STOCKHOLM}-1003`],
    ['surrounding spaces (normalize first)', ` SE${REGION_STOCKHOLM}-1003 `],
    ['another country code', `NO${REGION_STOCKHOLM}-1003`],
    ['an Inera test-environment id', 'TSTNMT2321000156-B01C'],
    ['32 characters', `SE${REGION_STOCKHOLM}-${'A'.repeat(19)}`],
    ['nothing', ''],
  ])('refuses %s', (_label, id) => {
    expect(isValidHsaId(id)).toBe(false);
  });

  it('accepts exactly 31 characters', () => {
    const id = `SE${REGION_STOCKHOLM}-${'A'.repeat(18)}`;
    expect(id).toHaveLength(31);
    expect(isValidHsaId(id)).toBe(true);
  });

  it('property: any local part of 1..18 letters or digits is valid after a real owner', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(REGION_STOCKHOLM, VASTRA_GOTALANDSREGIONEN, INERA),
        fc.stringMatching(/^[A-Za-z0-9]{1,18}$/),
        (owner, local) => {
          expect(isValidHsaId(`SE${owner}-${local}`)).toBe(true);
        },
      ),
    );
  }, PROPERTY_BUDGET_MS);

  it('property: changing one digit of the organisation number makes the id invalid', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(REGION_STOCKHOLM, VASTRA_GOTALANDSREGIONEN, INERA),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (owner, position, shift) => {
          const digit = String((Number(owner[position]) + shift) % 10);
          const mistyped = owner.slice(0, position) + digit + owner.slice(position + 1);
          expect(isValidHsaId(`SE${mistyped}-1003`)).toBe(false);
        },
      ),
    );
  }, PROPERTY_BUDGET_MS);
});

describe('normalizeHsaId', () => {
  it('trims and upper-cases the prefix, keeping the local part as issued', () => {
    expect(normalizeHsaId(`  se${REGION_STOCKHOLM}-abc1\n`)).toBe(`SE${REGION_STOCKHOLM}-abc1`);
    expect(normalizeHsaId(`Se${REGION_STOCKHOLM}-X`)).toBe(`SE${REGION_STOCKHOLM}-X`);
  });

  it('leaves ids without the SE prefix otherwise untouched', () => {
    expect(normalizeHsaId(' TSTNMT2321000156-B01C ')).toBe('TSTNMT2321000156-B01C');
  });

  it('property: normalizing is idempotent', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        expect(normalizeHsaId(normalizeHsaId(input))).toBe(normalizeHsaId(input));
      }),
    );
  }, PROPERTY_BUDGET_MS);
});
