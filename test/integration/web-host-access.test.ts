// Browser mode's way in: a malformed request cannot stop the host, no secret on a command line or stdout, one-time launch tokens, cookies that die at logout.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from '../support/staff-session';
import { admit, startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

/** One raw HTTP/1.1 exchange, so the request line and headers reach the host exactly as written; returns the status code. */
function rawRequest(origin: string, head: string): Promise<number> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`${head}\r\n\r\n`));
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1])));
    socket.on('error', reject);
  });
}

const call = (host: RunningWebHost, name: string, input: unknown, cookie: string | null, query = '') =>
  fetch(`${host.origin}/api/call/${name}${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(input) });

describe('browser mode access', () => {
  let host: RunningWebHost;
  let kiosk: string;
  beforeAll(async () => {
    host = await startWebHostProcess();
    // the first window in is the kiosk window that started the host
    kiosk = (await admit(host))!;
  });
  afterAll(() => host.stop());

  it('answers malformed URLs and headers with 400 and keeps serving', async () => {
    const hostHeader = `Host: ${new URL(host.origin).host}`;
    expect(await rawRequest(host.origin, `GET /%E0%A4%A HTTP/1.1\r\n${hostHeader}\r\nConnection: close`)).toBe(400);
    expect(await rawRequest(host.origin, `POST /api/call/%E0%A4%A HTTP/1.1\r\n${hostHeader}\r\nCookie: ${kiosk}\r\nContent-Length: 0\r\nConnection: close`)).toBe(400);
    expect(await rawRequest(host.origin, `GET / HTTP/1.1\r\n${hostHeader}\r\nX-Broken\u0001Header: 1\r\nConnection: close`)).toBe(400);
    expect(await rawRequest(host.origin, `GET /api/events HTTP/1.1\r\n${hostHeader}\r\nCookie: kortstation-session=%E0%A4%A; =;;\r\nConnection: close`)).toBe(401);
    expect(host.process.exitCode).toBeNull();
    expect(await (await call(host, 'app.info', {}, kiosk)).json()).toMatchObject({ ok: true, value: { host: 'web' } });
  });

  it('grants nothing for ?secret=, a secret header or a used launch token, and prints no token', async () => {
    const token = host.launchToken()!;
    const cookie = await admit(host, token);
    expect(cookie).toMatch(/^kortstation-session=[\w-]{43}$/);
    expect(await admit(host, token)).toBeNull();
    const fresh = host.launchToken()!;
    expect(fresh).not.toBe(token);
    expect((await call(host, 'readers.list', {}, null, `?secret=${fresh}`)).status).toBe(401);
    expect((await fetch(`${host.origin}/api/call/readers.list`, { method: 'POST', headers: { 'x-kortstation-secret': fresh }, body: '{}' })).status).toBe(401);
    expect((await fetch(`${host.origin}/api/events?secret=${fresh}&launch=${fresh}`)).status).toBe(401);
    expect((await call(host, 'readers.list', {}, cookie)).status).toBe(200);
    for (const secret of [token, fresh, cookie!.split('=')[1]!, kiosk.split('=')[1]!]) expect(host.output()).not.toContain(secret);
    expect(host.output()).toContain(`at ${host.origin}/\n`);
  });

  it('lets only the kiosk window run the first set-up, and drops a session at logout', async () => {
    const other = (await admit(host))!;
    const firstRun = { organisationName: 'Region Uppsala', stationName: 'Akademiska', admin: { username: 'asa.admin', displayName: 'Åsa Admin', password: ADMIN_PASSWORD } };
    expect(await (await call(host, 'setup.firstRun', firstRun, other)).json()).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await (await call(host, 'setup.firstRun', firstRun, kiosk)).json()).toMatchObject({ ok: true });
    expect(await (await call(host, 'auth.status', {}, kiosk)).json()).toMatchObject({ ok: true, value: { operator: { displayName: 'Åsa Admin' } } });

    const logout = await call(host, 'auth.logout', {}, kiosk);
    expect(await logout.json()).toMatchObject({ ok: true, value: { loggedOut: true } });
    const renewed = logout.headers.get('set-cookie')?.split(';')[0];
    expect(renewed).toMatch(/^kortstation-session=/);
    expect(renewed).not.toBe(kiosk);
    expect((await call(host, 'auth.status', {}, kiosk)).status).toBe(401);
    expect((await fetch(`${host.origin}/api/events`, { headers: { cookie: kiosk } })).status).toBe(401);
    expect(await (await call(host, 'auth.status', {}, renewed!)).json()).toMatchObject({ ok: true, value: { operator: null } });
    kiosk = renewed!;
  });
});

describe('browser mode with its kiosk window (--open)', () => {
  let display: ChildProcess;
  let displayNumber: string;
  beforeAll(async () => {
    // Chromium needs a screen: a private X server that picks a free display and names it on fd 3
    display = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    displayNumber = await new Promise((resolve) => (display.stdio[3] as NodeJS.ReadableStream).once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
  });
  afterAll(() => {
    display.kill();
  });

  it('hands Chromium its launch token without a command line, and the token dies once used', async () => {
    const privateTmp = mkdtempSync(join(tmpdir(), 'kortstation-open-'));
    const host = await startWebHostProcess({ args: ['--open', '--window'], env: { ...process.env, DISPLAY: `:${displayNumber}`, TMPDIR: privateTmp } });
    try {
      await expect.poll(() => host.output(), { timeout: 30_000 }).toContain('The kiosk window is in.');
      const profile = readdirSync(privateTmp).find((name) => name.startsWith('kortstation-chromium-'))!;
      const launchPage = readFileSync(join(privateTmp, profile, 'launch.html'), 'utf8');
      const token = /[?&]launch=([\w-]+)/.exec(launchPage)![1]!;
      const commandLines = readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .map((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          } catch {
            return '';
          }
        });
      expect(commandLines.some((line) => line.includes('/chromium') && line.includes(profile))).toBe(true);
      expect(commandLines.filter((line) => line.includes(token))).toEqual([]);
      expect(host.output()).not.toContain(token);
      expect(await admit(host, token)).toBeNull();
    } finally {
      await host.stop();
    }
    // the kiosk window's profile, with its launch page, leaves with the host
    expect(readdirSync(privateTmp).filter((name) => name.startsWith('kortstation-chromium-'))).toEqual([]);
    rmSync(privateTmp, { recursive: true, force: true });
  });
});
