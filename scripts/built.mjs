// Runs an entry of the build (out/main/cli.js, out/main/web.js, out/main/server.js), building first when out/ is missing or older than the sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['src-main', 'src-shared', 'src-renderer', 'electron.vite.config.ts', 'package-lock.json'];
const BUILT_MARKER = join(root, 'out/main/cli.js');

function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stat.mtimeMs);
}

/** Builds out/ with electron-vite (no type check) unless it is newer than every source file. */
export function ensureBuilt() {
  if (existsSync(BUILT_MARKER) && statSync(BUILT_MARKER).mtimeMs >= Math.max(...SOURCES.map((source) => newestChange(join(root, source))))) return;
  console.error('[kortstation] building out/ (the sources changed since the last build)');
  const result = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [entry] = process.argv.splice(2, 1);
  if (entry !== 'cli' && entry !== 'web' && entry !== 'server') {
    console.error('usage: node scripts/built.mjs cli|web|server [args…]');
    process.exit(64);
  }
  ensureBuilt();
  // the entry reads its own arguments from process.argv.slice(2), as when node runs it directly
  await import(pathToFileURL(join(root, 'out/main', `${entry}.js`)).href);
}
