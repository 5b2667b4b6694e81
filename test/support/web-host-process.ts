// Starts browser mode as `npm run start:web` would (a separate process on a fresh data folder) and reads its URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webHostCommand } from './cli';

export interface RunningWebHost {
  url: string;
  origin: string;
  secret: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function startWebHostProcess(options: { dataDir?: string; args?: string[] } = {}): Promise<RunningWebHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kortstation-e2e-'));
  const child = spawn(...webHostCommand(['--data', dataDir, ...(options.args ?? [])]), {
    stdio: ['ignore', 'pipe', 'pipe'],
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
