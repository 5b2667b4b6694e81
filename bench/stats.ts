// Percentiles and the environment line every benchmark prints.
import { execFileSync } from 'node:child_process';

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
