// Starts Debian's Chromium as the kiosk window in browser mode, with a throw-away profile that also carries its launch token.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LAUNCH_PARAMETER } from './web';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const LAUNCH_PAGE = 'launch.html';

/** A page in the profile folder (0700, file 0600) that sends the window on to the station with its token: the token never sits on a command line. */
function writeLaunchPage(profile: string, stationUrl: string, token: string): string {
  const target = new URL(stationUrl);
  target.searchParams.set(LAUNCH_PARAMETER, token);
  const path = join(profile, LAUNCH_PAGE);
  const descriptor = openSync(path, 'wx', 0o600);
  try {
    writeSync(descriptor, `<!doctype html><meta charset="utf-8"><title>Kortstation</title><script>location.replace(${JSON.stringify(target.href)})</script>\n`);
  } finally {
    closeSync(descriptor);
  }
  return path;
}

/** The X screen's size from xdpyinfo, so the kiosk window covers it even without a window manager to make it full screen. */
function screenSize(): { width: number; height: number } | undefined {
  try {
    const dimensions = /dimensions:\s+(\d+)x(\d+) pixels/.exec(execFileSync('xdpyinfo', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return dimensions ? { width: Number(dimensions[1]), height: Number(dimensions[2]) } : undefined;
  } catch {
    return undefined;
  }
}

/** Kiosk: the whole screen, with or without a window manager. */
function kioskWindowFlags(): string[] {
  const size = screenSize();
  return ['--kiosk', '--start-fullscreen', '--window-position=0,0', ...(size ? [`--window-size=${size.width},${size.height}`] : [])];
}

export function openInChromium(stationUrl: string, launchToken: string, options: { kiosk: boolean }): ChildProcess {
  // mkdtemp creates the folder 0700: other local users cannot read the launch page
  const profile = mkdtempSync(join(tmpdir(), 'kortstation-chromium-'));
  const launchPage = writeLaunchPage(profile, stationUrl, launchToken);
  const args = [
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // --disable-translate alone no longer stops the translation bubble over the kiosk's buttons
    '--disable-translate',
    '--disable-features=Translate,TranslateUI',
    '--disable-infobars',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    '--noerrdialogs',
    ...(options.kiosk ? kioskWindowFlags() : ['--start-maximized']),
    `--app=${pathToFileURL(launchPage).href}`,
  ];
  if (process.getuid?.() === 0) args.unshift('--no-sandbox');
  // a process group of its own: its helper processes (crash handler, zygote) go with it, not on writing into the profile
  const browser = spawn(CHROMIUM_PATH, args, { stdio: 'ignore', detached: true });
  // the host waits for this on its way out (web-main), so the launch page never outlives the window
  browser.once('exit', () => {
    try {
      process.kill(-browser.pid!, 'SIGKILL');
    } catch {
      // the group is gone already
    }
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });
  return browser;
}
