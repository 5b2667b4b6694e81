import { describe, expect, it } from 'vitest';
import { chargeMonth, DEFAULT_LOST_TOKEN_CHARGE_ORE, formatOre, lostTokenChargeOre } from '@shared/domain/token-charges';
import { tokenLimitRefusal } from '@shared/domain/token-limits';

describe('tokenLimitRefusal', () => {
  it('allows one municipal and one LOV token, and names why a third is refused', () => {
    expect(tokenLimitRefusal([], 'kommunal')).toBeNull();
    expect(tokenLimitRefusal(['kommunal'], 'lov')).toBeNull();
    expect(tokenLimitRefusal(['lov'], 'lov')).toBe('category-taken');
    expect(tokenLimitRefusal(['kommunal'], 'kommunal')).toBe('category-taken');
    expect(tokenLimitRefusal(['kommunal', 'lov'], 'kommunal')).toBe('both-taken');
    expect(tokenLimitRefusal(['lov', 'kommunal'], 'lov')).toBe('both-taken');
  });
});

describe('chargeMonth', () => {
  it('is the calendar month in Swedish time, across month, year and daylight-saving edges', () => {
    expect(chargeMonth(new Date('2026-01-31T22:59:59Z'))).toBe('2026-01');
    expect(chargeMonth(new Date('2026-01-31T23:00:00Z'))).toBe('2026-02'); // CET, UTC+1
    expect(chargeMonth(new Date('2026-06-30T21:59:59Z'))).toBe('2026-06');
    expect(chargeMonth(new Date('2026-06-30T22:00:00Z'))).toBe('2026-07'); // CEST, UTC+2
    expect(chargeMonth(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01');
    expect(chargeMonth(new Date('2026-12-31T23:30:00Z'), 'UTC')).toBe('2026-12');
  });
});

describe('lostTokenChargeOre', () => {
  it('reads the setting in öre and falls back to 200 SEK rather than charging nothing', () => {
    expect(lostTokenChargeOre('20000')).toBe(20_000);
    expect(lostTokenChargeOre('0')).toBe(0);
    for (const spoilt of [undefined, '', 'abc', '-5', '12.5']) expect(lostTokenChargeOre(spoilt)).toBe(DEFAULT_LOST_TOKEN_CHARGE_ORE);
  });

  it('formats öre as kronor the Swedish way', () => {
    expect(formatOre(20_000)).toBe('200,00 kr');
    expect(formatOre(5)).toBe('0,05 kr');
    expect(formatOre(-20_000)).toBe('−200,00 kr');
  });
});
