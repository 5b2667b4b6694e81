// Which token kind a person's employment calls for: a kommunal token for municipal staff, a LOV token for a LOV contractor's staff.
import type { EmploymentType } from '../contract/people';
import type { TokenCategory } from './token-limits';

/** The token kind the employment type calls for; null when the register does not say (or region/private staff, who get no token by rule). */
export function tokenKindForEmployment(employment: EmploymentType | null): TokenCategory | null {
  if (employment === 'kommunal') return 'kommunal';
  return employment === 'lov' ? 'lov' : null;
}

/** True when the register's employment type calls for exactly this kind; anything else needs staff to override with a reason. */
export function tokenKindFitsEmployment(kind: TokenCategory, employment: EmploymentType | null): boolean {
  return tokenKindForEmployment(employment) === kind;
}
