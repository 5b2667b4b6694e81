// Starts browser mode as `npm run start:web` would (a separate process on a fresh data folder) and reads its URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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
  url: string;
  origin: string;
  secret: string;
  dataDir: string;
  process: ChildProcess;
  /** The host's clock, as near as the test can tell: shifted when started with `startAt`. */
  now(): Date;
  stop(): Promise<void>;
}

export interface WebHostOptions {
  dataDir?: string;
  args?: string[];
  /** The host's clock starts here instead of now. */
  startAt?: Date;
  env?: NodeJS.ProcessEnv;
}

export function startWebHostProcess(options: WebHostOptions = {}): Promise<RunningWebHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kortstation-e2e-'));
  const offsetMs = options.startAt ? options.startAt.getTime() - Date.now() : 0;
  const child = spawn(...webHostCommand(['--data', dataDir, ...(options.args ?? [])]), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.startAt ? { ...shiftedClockEnv(options.startAt), ...options.env } : { ...process.env, ...options.env },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?secret=([\w-]+)/.exec(output);
      if (!match) return;
      child.stdout.off('data', onData);
      resolve({
        url: match[0],
        origin: match[1]!,
        secret: match[2]!,
        dataDir,
        process: child,
        now: () => new Date(Date.now() + offsetMs),
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}: ${output}`)));
  });
}
