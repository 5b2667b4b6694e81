/** Where `npm test` records each tier's time and counts, for the bench. */
export const TIERS_FILE: string;
export function privateStacksWork(): boolean;
export function runTests(passThrough: string[]): Promise<number>;
