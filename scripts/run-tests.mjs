// `npm test` after the set-up: unit tests on the host, card tests in shards that each have a pcscd and virtual readers of their own; the integration suite on SQLite and again on PostgreSQL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const logDir = join(root, 'test-results/logs');
export const TIERS_FILE = join(root, 'test-results/tiers.json');
const PRIVATE_PCSCD = join(root, 'scripts/private-pcscd.sh');
const bin = (name) => join(root, 'node_modules/.bin', name);
// card tests wait on pcscd's presence polls far more than on the CPU, so more shards than cores still pay
const INTEGRATION_SHARDS = Number(process.env.KORTSTATION_INTEGRATION_SHARDS ?? 3);
// one Chromium at a time: two of them on two cores left screens slow enough to miss a short progress or a saved text
const E2E_SHARDS = Number(process.env.KORTSTATION_E2E_SHARDS ?? 1);

const say = (text) => console.log(`[tests] ${text}`);

/** True when namespaces can give each shard its own pcscd (root, or unprivileged user namespaces). */
export function privateStacksWork() {
  return spawnSync(PRIVATE_PCSCD, ['true'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
}

/** Runs one tier (or shard of one) with its output in a log file; resolves with its counts. */
function runTier({ name, command, args, privateStack, env = {}, countsFile, readCounts }) {
  const started = Date.now();
  const log = join(logDir, `${name}.log`);
  const out = openSync(log, 'w');
  const [file, argv] = privateStack ? [PRIVATE_PCSCD, [command, ...args]] : [command, args];
  const child = spawn(file, argv, { cwd: root, stdio: ['ignore', out, out], env: { ...process.env, ...env, KORTSTATION_PCSCD_LOG: join(logDir, `${name}.pcscd.log`) } });
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const counts = existsSync(countsFile) ? readCounts(JSON.parse(readFileSync(countsFile, 'utf8'))) : { passed: 0, failed: 0, skipped: 0 };
      const ok = code === 0;
      // a runner that failed before it could count its tests still fails the run
      if (!ok && counts.failed === 0) counts.failed = 1;
      say(`${name}: ${ok ? 'passed' : 'FAILED'} — ${counts.passed} passed, ${counts.failed} failed in ${seconds} s (log: ${log})`);
      if (!ok) process.stdout.write(readFileSync(log, 'utf8'));
      resolve({ name, ok, seconds: Number(seconds), ...counts });
    });
  });
}

function vitestTier(name, args, privateStack, env = {}) {
  const countsFile = join(logDir, `${name}.json`);
  return runTier({
    name,
    command: bin('vitest'),
    args: ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${countsFile}`],
    privateStack,
    env,
    countsFile,
    readCounts: (report) => ({ passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests }),
  });
}

function playwrightTier(name, args, privateStack) {
  const countsFile = join(logDir, `${name}.json`);
  return runTier({
    name,
    command: bin('playwright'),
    args: ['test', ...args, '--reporter=list,json'],
    privateStack,
    env: { PLAYWRIGHT_JSON_OUTPUT_FILE: countsFile },
    countsFile,
    readCounts: (report) => ({ passed: report.stats.expected, failed: report.stats.unexpected + report.stats.flaky, skipped: report.stats.skipped }),
  });
}

const shards = (count, make) => Array.from({ length: count }, (_, index) => make(index + 1, count));

/** Runs the whole suite (or vitest with the given arguments) and returns the exit code. */
export async function runTests(passThrough) {
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const isolated = privateStacksWork();
  if (!isolated) say('no private pcscd (needs root or user namespaces): card tests run one after another on the host pcscd');
  const started = Date.now();
  let results;
  if (passThrough.length > 0) {
    results = [await vitestTier('vitest', passThrough, isolated)];
  } else {
    const integrationShards = isolated ? INTEGRATION_SHARDS : 1;
    const e2eShards = isolated ? E2E_SHARDS : 1;
    const integration = (engine) => (i, n) => vitestTier(`integration-${engine}-${i}of${n}`, ['--project', 'integration', `--shard=${i}/${n}`], isolated, { KORTSTATION_TEST_ENGINE: engine });
    results = await Promise.all([vitestTier('unit', ['--project', 'unit'], false), ...shards(integrationShards, integration('sqlite'))]);
    // the whole integration suite again on the region's engine: every service and CLI command on PostgreSQL
    results.push(...(await Promise.all(shards(integrationShards, integration('postgres')))));
    results.push(...(await Promise.all(shards(e2eShards, (i, n) => playwrightTier(`e2e-${i}of${n}`, [`--shard=${i}/${n}`], isolated)))));
  }
  const total = results.reduce((sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, skipped: sum.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
  const seconds = (Date.now() - started) / 1000;
  say(`all tiers in ${seconds.toFixed(1)} s`);
  writeFileSync(TIERS_FILE, JSON.stringify([...results, { name: 'all', ok: results.every((r) => r.ok), seconds, ...total }], null, 2));
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return results.every((r) => r.ok) ? 0 : 1;
}
