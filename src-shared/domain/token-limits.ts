// The rule for how many OTP tokens one person may hold: one for the municipality, one for a LOV contractor.

export const TOKEN_CATEGORIES = ['kommunal', 'lov'] as const;
export type TokenCategory = (typeof TOKEN_CATEGORIES)[number];

export type TokenLimitRefusal =
  /** The person already has a token of this kind; the same token serves every workplace of that kind. */
  | 'category-taken'
  /** The person already has both tokens a person may have. */
  | 'both-taken';

/** Why one more token of `wanted` would break the rule, or null when it may be issued. */
export function tokenLimitRefusal(heldCategories: readonly TokenCategory[], wanted: TokenCategory): TokenLimitRefusal | null {
  const held = new Set(heldCategories);
  if (TOKEN_CATEGORIES.every((category) => held.has(category))) return 'both-taken';
  return held.has(wanted) ? 'category-taken' : null;
}
