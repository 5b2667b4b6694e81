// Percentiles and the environment line every benchmark prints.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summary(samples: readonly number[], unit = 'ms'): string {
  return `p50 ${percentile(samples, 50).toFixed(1)} ${unit}, p95 ${percentile(samples, 95).toFixed(1)} ${unit}, n=${samples.length}`;
}

/** Whether loopback has quickack on: without it every vpcd APDU waits ~40 ms for a delayed ACK. */
export function loopbackMode(): string {
  try {
    const routes = execFileSync('ip', ['route', 'show', 'table', 'local'], { encoding: 'utf8' });
    const line = routes.split('\n').find((l) => l.startsWith('local 127.0.0.1 '));
    return line?.includes('quickack 1') ? 'loopback quickack on' : 'loopback quickack off (each vpcd APDU +~40 ms)';
  } catch {
    return 'loopback mode unknown';
  }
}

/** The CPU counters of the whole machine: all time, and the time the host ran others instead (steal), from /proc/stat. */
function cpuTicks(): { total: number; stolen: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: fields.reduce((sum, value) => sum + value, 0), stolen: fields[7]! };
  } catch {
    return null;
  }
}

/**
 * `work`'s result and the share of the machine's CPU time its host gave to other guests meanwhile: on a shared virtual
 * machine that, not the program, is what makes one run's tail much slower than the next. Null where /proc/stat is not.
 */
export async function measureStolenShare<T>(work: () => Promise<T>): Promise<{ result: T; stolen: number | null }> {
  const before = cpuTicks();
  const result = await work();
  const after = cpuTicks();
  const total = before && after ? after.total - before.total : 0;
  return { result, stolen: before && after && total > 0 ? (after.stolen - before.stolen) / total : null };
}

export const stolenText = (stolen: number | null): string => (stolen === null ? 'unknown' : `${(stolen * 100).toFixed(0)} %`);
