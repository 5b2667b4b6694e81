// CLI cold start: a new process for every run, as support staff start it, until `readers --json` has answered.
import { spawnSync } from 'node:child_process';
import { ensureBuilt } from '../scripts/built.mjs';
import { percentile } from './stats';

const RUNS = 10;

function timeRuns(command: string, args: string[]): number[] {
  return Array.from({ length: RUNS }, () => {
    const started = performance.now();
    const result = spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
    return performance.now() - started;
  });
}

export function benchCliStart(): void {
  ensureBuilt();
  const viaNpm = timeRuns('npm', ['run', '--silent', 'cli', '--', 'readers', '--json', '--allow-virtual-readers']);
  const direct = timeRuns(process.execPath, ['out/main/cli.js', 'readers', '--json', '--allow-virtual-readers']);
  console.log(`CLI cold start, readers --json: npm run cli p50 ${percentile(viaNpm, 50).toFixed(0)} ms, node out/main/cli.js p50 ${percentile(direct, 50).toFixed(0)} ms (n=${RUNS} each)`);
}
