// Starts browser mode as `npm run start:web` would (a separate process on a fresh data folder); windows get in with the launch token it keeps in a 0600 file.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webHostCommand } from './cli';

export interface RunningWebHost {
  /** http://127.0.0.1:PORT, without any token. */
  origin: string;
  /** The station's address with the live one-time launch token: each read gives the token a new window trades for its session. */
  readonly url: string;
  /** The live launch token (undefined with `--open`, where the kiosk window got it instead). */
  launchToken(): string | undefined;
  dataDir: string;
  process: ChildProcess;
  /** Everything the host printed so far. */
  output(): string;
  stop(): Promise<void>;
}

const READY = /Kortstation \(browser mode\) at (http:\/\/127\.0\.0\.1:\d+)\//;
const TOKEN_FILE = /launch token in (\S+)/;

export function startWebHostProcess(options: { dataDir?: string; args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<RunningWebHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kortstation-e2e-'));
  const opened = options.args?.includes('--open') ?? false;
  const child = spawn(...webHostCommand(['--data', dataDir, ...(options.args ?? [])]), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
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
