// The one way tests start the CLI and browser mode as separate processes: the built files `npm run cli` / `npm run web` run.
import { spawn, spawnSync, type SpawnSyncOptionsWithStringEncoding } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ALLOW_VIRTUAL_READERS_FLAG } from '../../src-main/card/virtual-readers';
import { envForArgs } from './register-location';

// built by test/support/build-once.ts before any test runs
export const BUILT_CLI = fileURLToPath(new URL('../../out/main/cli.js', import.meta.url));
const BUILT_WEB = fileURLToPath(new URL('../../out/main/web.js', import.meta.url));
// tests drive virtual cards in vpcd's readers, which a station refuses without this flag
const cliArgs = (args: string[]): string[] => [BUILT_CLI, ...args, ALLOW_VIRTUAL_READERS_FLAG];

/** Runs `npm run cli -- ARGS` to completion. */
export function runCli(args: string[], options: Partial<SpawnSyncOptionsWithStringEncoding> = {}) {
  return spawnSync(process.execPath, cliArgs(args), { encoding: 'utf8', timeout: 30_000, ...options, env: envForArgs(args, options.env) });
}

/** The command line of browser mode (`npm run web -- ARGS`). */
export function webHostCommand(args: string[]): [string, string[]] {
  return [process.execPath, [BUILT_WEB, ALLOW_VIRTUAL_READERS_FLAG, ...args]];
}

/** The command line of `npm run cli -- ARGS`, for callers that spawn it their own way. */
export function cliCommand(args: string[]): [string, string[]] {
  return [process.execPath, cliArgs(args)];
}

const shellQuoted = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`;

/**
 * Runs `npm run cli -- ARGS` on a pseudo-terminal (util-linux `script`), as a person at a terminal would: `output` is what
 * the terminal showed, standard output and standard error together, with the terminal's \r\n line ends.
 */
export function runCliOnTerminal(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): { status: number | null; output: string } {
  const commandLine = [process.execPath, ...cliArgs(args)].map(shellQuoted).join(' ');
  const result = spawnSync('script', ['--quiet', '--return', '--command', commandLine, '/dev/null'], { encoding: 'utf8', timeout: 60_000, env: envForArgs(args, options.env) });
  return { status: result.status, output: result.stdout };
}

/**
 * Runs `npm run cli -- ARGS` to completion without blocking the caller's event loop, so its open HTTP connections and the
 * virtual card in this process keep answering; `input` goes to standard input (PINs are never on the command line).
 */
export function runCliAsync(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const [command, commandArgs] = cliCommand(args);
  const child = spawn(command, commandArgs, { stdio: ['pipe', 'pipe', 'pipe'], env: envForArgs(args, options.env) });
  child.stdin.end(options.input ?? '');
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
