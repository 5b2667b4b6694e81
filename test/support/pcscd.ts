// Stops and starts the real pcscd, for tests of the service going away and coming back.
import { execFileSync, spawn } from 'node:child_process';
import { openSync } from 'node:fs';

export const READER_0 = 'Virtual PCD 00 00';
export const READER_1 = 'Virtual PCD 00 01';

export function stopPcscd(): void {
  try {
    execFileSync('pkill', ['-x', 'pcscd']);
  } catch {
    // already stopped
  }
}

/** Starts pcscd in the foreground as a detached child whose output goes to a file; it outlives the test. */
export function startPcscd(logFile = '/tmp/kortstation-test-pcscd.log'): void {
  const out = openSync(logFile, 'a');
  const child = spawn('pcscd', ['--foreground'], { detached: true, stdio: ['ignore', out, out] });
  child.unref();
}
