// Starts Debian's Chromium as the kiosk window in browser mode, with a throw-away profile.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function openInChromium(url: string, options: { kiosk: boolean }): ChildProcess {
  const profile = mkdtempSync(join(tmpdir(), 'kortstation-chromium-'));
  const args = [
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-translate',
    options.kiosk ? '--kiosk' : '--start-maximized',
    `--app=${url}`,
  ];
  if (process.getuid?.() === 0) args.unshift('--no-sandbox');
  return spawn(CHROMIUM_PATH, args, { stdio: 'ignore' });
}
