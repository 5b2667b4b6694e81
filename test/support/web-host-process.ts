// Starts browser mode as `npm run start:web` would (a separate process on a fresh data folder); windows get in with the launch token it keeps in a 0600 file.
import { spawn, type ChildProcess } from 'node:child_process';
import { envForArgs } from './register-location';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { webHostCommand } from './cli';

const SHIFTED_CLOCK = fileURLToPath(new URL('./shifted-clock.mjs', import.meta.url));

/** The environment of a process whose clock starts at `startAt` and runs on: a month can end within one test. */
export function shiftedClockEnv(startAt: Date): NodeJS.ProcessEnv {
  return { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${SHIFTED_CLOCK}`.trim(), KORTSTATION_TEST_START_AT: startAt.toISOString() };
}

export interface RunningWebHost {
  /** http://127.0.0.1:PORT, without any token. */
  origin: string;
  /** The station's address with the live one-time launch token: each read gives the token a new window trades for its session. */
  readonly url: string;
  /** The live launch token (undefined with `--open`, where the kiosk window got it instead). */
  launchToken(): string | undefined;
  dataDir: string;
  process: ChildProcess;
  /** The host's clock, as near as the test can tell: shifted when started with `startAt`. */
  now(): Date;
  /** Everything the host printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface WebHostOptions {
  dataDir?: string;
  args?: string[];
  /** The host's clock starts here instead of now. */
  startAt?: Date;
  env?: NodeJS.ProcessEnv;
}

const READY = /Kortstation \(browser mode\) at (http:\/\/127\.0\.0\.1:\d+)\//;
const TOKEN_FILE = /launch token in (\S+)/;

export function startWebHostProcess(options: WebHostOptions = {}): Promise<RunningWebHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kortstation-e2e-'));
  const offsetMs = options.startAt ? options.startAt.getTime() - Date.now() : 0;
  const opened = options.args?.includes('--open') ?? false;
  const args = ['--data', dataDir, ...(options.args ?? [])];
  const child = spawn(...webHostCommand(args), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: envForArgs(args, options.startAt ? { ...shiftedClockEnv(options.startAt), ...options.env } : { ...process.env, ...options.env }),
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      const ready = READY.exec(output);
      const tokenFile = TOKEN_FILE.exec(output)?.[1];
      if (!ready || (!opened && !tokenFile)) return;
      child.stdout.off('data', onData);
      child.off('exit', onEarlyExit);
      const origin = ready[1]!;
      const launchToken = (): string | undefined => (tokenFile ? readFileSync(tokenFile, 'utf8').trim() : undefined);
      resolve({
        origin,
        get url() {
          return `${origin}/?launch=${launchToken() ?? ''}`;
        },
        launchToken,
        dataDir,
        process: child,
        now: () => new Date(Date.now() + offsetMs),
        output: () => output,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    const onEarlyExit = (code: number | null): void => reject(new Error(`web host exited with ${code}: ${output}`));
    child.stdout.on('data', onData);
    child.once('exit', onEarlyExit);
  });
}

/** Trades a launch token (the host's live one by default) for a session, as a window does; the Cookie header value, or null when refused. */
export async function admit(host: RunningWebHost, token = host.launchToken()): Promise<string | null> {
  const response = await fetch(`${host.origin}/api/launch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  if (!response.ok) return null;
  return response.headers.get('set-cookie')?.split(';')[0] ?? null;
}
