// The time of each test tier, from the last `npm test` (running the suite again here would double the bench's time).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { TIERS_FILE } from '../scripts/run-tests.mjs';

export function printTestTiers(): void {
  if (!existsSync(TIERS_FILE)) {
    console.log('test tiers: no record yet — run npm test first');
    return;
  }
  const tiers = JSON.parse(readFileSync(TIERS_FILE, 'utf8')) as { name: string; seconds: number; passed: number; failed: number }[];
  const rows = tiers.map((tier) => `${tier.name} ${tier.seconds.toFixed(0)} s (${tier.passed} tests)`).join(', ');
  console.log(`test tiers (npm test at ${statSync(TIERS_FILE).mtime.toISOString()}): ${rows}`);
}
