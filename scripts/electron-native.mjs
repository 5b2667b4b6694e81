// Builds better-sqlite3 and pcsclite against Electron's headers into build/electron, beside Node's builds.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const out = join(root, 'build', 'electron');
const work = join(out, 'work');
// npm hands its own node-gyp to scripts it runs
const nodeGyp = process.env.npm_config_node_gyp;
if (!nodeGyp) {
  console.error('Run this through npm (npm start), which provides node-gyp.');
  process.exit(1);
}

function rebuild(packageDir) {
  const result = spawnSync(process.execPath, [nodeGyp, 'rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers'], { cwd: packageDir, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
for (const name of ['better-sqlite3', 'pcsclite']) cpSync(join(root, 'node_modules', name), join(work, name), { recursive: true });

rebuild(join(work, 'better-sqlite3'));
cpSync(join(work, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), join(out, 'better_sqlite3.node'));

// pcsclite finds its addon through `bindings` from its own folder, so the whole package moves with its build
rebuild(join(work, 'pcsclite'));
rmSync(join(out, 'pcsclite'), { recursive: true, force: true });
cpSync(join(work, 'pcsclite'), join(out, 'pcsclite'), { recursive: true });
rmSync(work, { recursive: true, force: true });
