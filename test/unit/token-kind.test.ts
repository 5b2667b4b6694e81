import { describe, expect, it } from 'vitest';
import { tokenKindFitsEmployment } from '@shared/domain/token-kind';

// seed 000: one token for the municipality, one for a private contractor under LOV
describe('the token kind an employment type calls for', () => {
  it('fits a kommunal token to municipal staff and a LOV token to a LOV contractor\'s staff only', () => {
    expect(tokenKindFitsEmployment('kommunal', 'kommunal')).toBe(true);
    expect(tokenKindFitsEmployment('lov', 'lov')).toBe(true);
    expect(tokenKindFitsEmployment('lov', 'kommunal')).toBe(false);
    expect(tokenKindFitsEmployment('kommunal', 'lov')).toBe(false);
  });

  it('asks for a reason when the register does not say, or for region and private staff', () => {
    for (const employment of [null, 'region', 'privat'] as const) {
      expect(tokenKindFitsEmployment('kommunal', employment)).toBe(false);
      expect(tokenKindFitsEmployment('lov', employment)).toBe(false);
    }
  });
});
