// Starts server mode as `npm run serve` would: out/main/server.js as a process of its own, on a data folder's register, HTTPS on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { envForArgs } from './register-location';
import type { ServerTls } from './server-tls';

const BUILT_SERVER = fileURLToPath(new URL('../../out/main/server.js', import.meta.url));
const READY = /Kortstation \(server mode\) at (https:\/\/127\.0\.0\.1:\d+)\//;
const REDIRECT = /Plain HTTP on port (\d+)/;

export interface RunningServer {
  /** https://127.0.0.1:PORT */
  origin: string;
  redirectPort: number;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  dataDir: string;
  trustDir: string;
  tls: ServerTls;
  /** 0 (the default) picks a free one; a fixed one lets KORTSTATION_PUBLIC_URL name the server before it starts. */
  port?: number;
  env?: NodeJS.ProcessEnv;
}

export function startServerProcess(options: ServerOptions): Promise<RunningServer> {
  const args = ['--listen', `127.0.0.1:${options.port ?? 0}`, '--http-redirect', '0', '--tls-cert', options.tls.certFile, '--tls-key', options.tls.keyFile, '--data', options.dataDir, '--trust', options.trustDir];
  const child = spawn(process.execPath, [BUILT_SERVER, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: envForArgs(args, { ...process.env, ...options.env }) });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      const ready = READY.exec(output);
      const redirect = REDIRECT.exec(output);
      if (!ready || !redirect) return;
      child.stdout.off('data', onData);
      child.off('exit', onEarlyExit);
      resolve({
        origin: ready[1]!,
        redirectPort: Number(redirect[1]),
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
    const onEarlyExit = (code: number | null): void => reject(new Error(`server exited with ${code}: ${output}`));
    child.stdout.on('data', onData);
    child.once('exit', onEarlyExit);
  });
}
