// The time budget of one property run (fast-check): a few hundred cases on a loaded two-core machine take far longer than vitest's 5 s default.
export const PROPERTY_BUDGET_MS = 60_000;
