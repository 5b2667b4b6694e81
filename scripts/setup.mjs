// `npm start` / `npm test` / `npm run start:web`: set the machine up (packages, node_modules, pcscd), then run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './built.mjs';
import { privateStacksWork, runTests } from './run-tests.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'start';
const passThrough = process.argv.slice(3);
const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const RUNTIME_PACKAGES = ['pcscd', 'libpcsclite-dev', 'chromium'];
// the virtual reader driver is a card reader anyone on the network can reach: tests only, never on a station
const TEST_PACKAGES = ['vsmartcard-vpcd', 'opensc', 'pcsc-tools', 'xvfb', 'postgresql'];

const say = (text) => console.log(`[kortstation] ${text}`);
const isRoot = process.getuid?.() === 0;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function canSudo() {
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
}

function missingPackages(names) {
  if (spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status !== 0) return [];
  return names.filter((name) => {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return !result.stdout?.includes('install ok installed');
  });
}

function ensurePackages(names) {
  const missing = missingPackages(names);
  if (missing.length === 0) return;
  const install = ['apt-get', 'install', '-y', ...missing];
  if (isRoot || canSudo()) {
    const prefix = isRoot ? [] : ['sudo', '-n'];
    say(`installing ${missing.join(', ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run(prefix[0] ?? 'apt-get', [...prefix.slice(1), ...(isRoot ? ['update'] : ['apt-get', 'update'])], { env });
    run(prefix[0] ?? 'apt-get', [...prefix.slice(1), ...(isRoot ? install.slice(1) : install)], { env });
    return;
  }
  console.error(`Kortstation needs these system packages: ${missing.join(' ')}\nInstall them with:\n  sudo ${install.join(' ')}`);
  process.exit(1);
}

/** node_modules as npm ci leaves it for this package-lock.json: npm's own record of the tree is newer than the lock file. */
function nodeModulesCurrent() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  return existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs;
}

function ensureNodeModules() {
  if (nodeModulesCurrent()) return;
  say('installing node_modules (npm ci, without the Electron binary)');
  // Electron's install script downloads its binary and fails the whole install where that host is out of reach
  run('npm', ['ci', '--no-audit', '--no-fund'], { env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
  fetchElectronBinary();
}

/** Tries Electron's own download once; without it the tests still run and `npm start` uses browser mode. */
function fetchElectronBinary() {
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const result = spawnSync(process.execPath, [join(root, 'node_modules/electron/install.js')], { cwd: join(root, 'node_modules/electron'), env, encoding: 'utf8', timeout: 120_000 });
  if (result.status === 0 && electronBinary()) return say("Electron's binary is installed");
  const reason = `${result.stderr ?? ''}${result.stdout ?? ''}`.split('\n').find((line) => /error/i.test(line))?.trim() ?? (result.error?.message ?? 'no answer');
  say(`Electron's binary could not be downloaded (${reason}); tests do not need it and npm start runs the kiosk in browser mode.`);
}

function pcscdAnswers() {
  return new Promise((resolve) => {
    const socket = connect(PCSCD_SOCKET);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function ensurePcscd() {
  if (await pcscdAnswers()) return;
  if (!isRoot && !canSudo()) {
    console.error('The PC/SC service (pcscd) is not running. Start it with:\n  sudo systemctl start pcscd.socket   (or: sudo pcscd)');
    process.exit(1);
  }
  say('starting pcscd');
  // without --foreground pcscd daemonizes itself and outlives this script
  execFileSync(isRoot ? 'pcscd' : 'sudo', isRoot ? [] : ['-n', 'pcscd']);
  for (let attempt = 0; attempt < 50 && !(await pcscdAnswers()); attempt++) await new Promise((r) => setTimeout(r, 100));
}

function electronBinary() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Builds the two native addons for Electron's ABI into build/electron, leaving Node's builds for tests alone. */
function ensureElectronNativeBuilds() {
  if (existsSync(join(root, 'build/electron/better_sqlite3.node')) && existsSync(join(root, 'build/electron/pcsclite'))) return;
  say('building better-sqlite3 and pcsclite for Electron (once)');
  run(process.execPath, [join(root, 'scripts/electron-native.mjs')]);
}

function runAndExit(command, args) {
  const child = spawn(command, args, { stdio: 'inherit', cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

ensurePackages(mode === 'test' ? [...RUNTIME_PACKAGES, ...TEST_PACKAGES] : RUNTIME_PACKAGES);
ensureNodeModules();
// test shards bring their own pcscd when namespaces allow; the kiosk needs the host's
if (mode !== 'test' || !privateStacksWork()) await ensurePcscd();

if (mode === 'test') {
  run('npm', ['run', 'build']);
  process.exit(await runTests(passThrough));
} else if (mode === 'web') {
  ensureBuilt();
  runAndExit(process.execPath, [join(root, 'out/main/web.js'), '--open', ...passThrough]);
} else {
  ensureBuilt();
  const electron = electronBinary();
  if (electron) {
    ensureElectronNativeBuilds();
    runAndExit(electron, ['.', ...passThrough]);
  } else {
    say("Electron's binary is not installed here: running the kiosk in Chromium (browser mode).");
    runAndExit(process.execPath, [join(root, 'out/main/web.js'), '--open', ...passThrough]);
  }
}
