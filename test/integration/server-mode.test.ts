// Server mode through a real HTTPS server on 127.0.0.1 and the test run's register: headers, cookie, CSRF, rate limits, kiosk-only refusals, SITHS client-certificate login.
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIOSK_ONLY_PROCEDURES } from '@shared/contract';
import { CSRF_HEADER, startServerHost, type ServerHost } from '../../src-main/host/server';
import { openStation, type Station } from '../../src-main/station';
import type { Session } from '../../src-main/router';
import { testPki, type TestPki } from '../sim/pki';
import { testRegisterLocation } from '../support/register-location';
import { clientCertificate, httpsCall, serverTls, type HttpsReply, type ServerTls } from '../support/server-tls';
import { writeTrustDir } from '../support/trust-dir';

const ADMIN_PASSWORD = 'Vinterkort42';
const HOLDER = { name: 'Ulla Enhetschef', hsaId: 'SE2321000016-ul1a' };
const STRANGER = { name: 'Okänd Person', hsaId: 'SE2321000016-ok99' };
const LOGINS_PER_ACCOUNT = 4;
const LOGINS_PER_ADDRESS = 40;

let pki: TestPki;
let tls: ServerTls;
let dataDir: string;
let trustDir: string;
let station: Station;
let host: ServerHost;
let origin: string;
let adminSecret: string;
let revokedSerial: string;

/** A browser on the network: its cookie jar and the CSRF token the page got, over HTTPS with an optional client certificate. */
class Browser {
  cookie: string | null = null;
  csrf: string | null = null;
  constructor(
    private readonly client?: { cert: string; key: string },
    private readonly at = (): string => origin,
  ) {}

  private keepCookie(reply: HttpsReply): void {
    const setCookie = reply.headers['set-cookie']?.[0];
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
  }

  async open(): Promise<HttpsReply> {
    const reply = await httpsCall(this.at(), '/api/session', tls.cert, { headers: this.cookie ? { cookie: this.cookie } : {}, client: this.client });
    this.keepCookie(reply);
    this.csrf = (JSON.parse(reply.body) as { csrfToken: string }).csrfToken;
    return reply;
  }

  async call(name: string, input: unknown, headers: Record<string, string> = {}): Promise<HttpsReply & { json: { ok: boolean; code?: string; value?: unknown } }> {
    const reply = await httpsCall(this.at(), `/api/call/${name}`, tls.cert, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.at(), ...(this.cookie ? { cookie: this.cookie } : {}), ...(this.csrf ? { [CSRF_HEADER]: this.csrf } : {}), ...headers },
      body: JSON.stringify(input),
      client: this.client,
    });
    this.keepCookie(reply);
    return { ...reply, json: JSON.parse(reply.body) as { ok: boolean; code?: string; value?: unknown } };
  }
}

const code = (): string => generateSync({ secret: adminSecret });

beforeAll(async () => {
  pki = await testPki();
  tls = serverTls();
  trustDir = writeTrustDir([pki.rootDer, pki.issuingCaDer]);
  dataDir = mkdtempSync(join(tmpdir(), 'kortstation-server-'));
  const database = testRegisterLocation(dataDir);
  // the register is set up at a kiosk, as in the region: first administrator, a unit manager with an HSA-ID, the CA's CRL
  const kioskStation = await openStation({ dataDir, database, host: 'web', trustDirs: [trustDir], allowVirtualReaders: false });
  const kiosk: Session = { id: 'kiosk', operator: null };
  const value = async (name: string, input: unknown): Promise<unknown> => {
    const reply = await kioskStation.router.call(kiosk, name, input);
    if (!reply.ok) throw new Error(`${name}: ${reply.code} ${reply.message}`);
    return reply.value;
  };
  const { otpauthUri } = (await value('setup.firstRun', { organisationName: 'Region Uppsala', stationName: 'Akademiska', admin: { username: 'admin', displayName: 'Åsa Admin', password: ADMIN_PASSWORD } })) as { otpauthUri: string };
  adminSecret = new URL(otpauthUri).searchParams.get('secret')!;
  await value('staff.create', { username: 'ulla', displayName: HOLDER.name, role: 'org-admin', hsaId: HOLDER.hsaId });
  const revoked = await clientCertificate(pki, HOLDER);
  revokedSerial = revoked.serialNumber;
  const now = Date.now();
  const crl = await pki.crl({ thisUpdate: new Date(now - 3_600_000), nextUpdate: new Date(now + 7 * 86_400_000), revokedSerials: [revokedSerial] });
  await value('crl.import', { contentBase64: Buffer.from(crl).toString('base64') });
  await value('auth.logout', {});
  await kioskStation.close();

  station = await openStation({ dataDir, database, host: 'server', trustDirs: [trustDir], allowVirtualReaders: false });
  host = await startServerHost({
    router: station.router,
    onEvent: station.onEvent,
    staticDir: join(dataDir, 'no-renderer'),
    host: '127.0.0.1',
    port: 0,
    tls: { cert: tls.cert, key: tls.key },
    clientCaRoots: [pki.rootDer],
    httpRedirectPort: 0,
    limits: { loginsPerAccount: { max: LOGINS_PER_ACCOUNT, windowMs: 60_000 }, loginsPerAddress: { max: LOGINS_PER_ADDRESS, windowMs: 60_000 } },
  });
  origin = `https://127.0.0.1:${host.port}`;
  Object.assign(globalThis, { revokedCertificate: revoked });
});

afterAll(async () => {
  await host?.close();
  await station?.close();
});

describe('server mode over HTTPS', () => {
  it('sends the security headers on every answer, pages and API alike', async () => {
    for (const path of ['/', '/api/session', '/api/call/app.info']) {
      const reply = await httpsCall(origin, path, tls.cert);
      expect(reply.headers['strict-transport-security'], path).toMatch(/^max-age=\d{7,}/);
      expect(reply.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
      expect(reply.headers['content-security-policy'], path).toContain("script-src 'self'");
      expect(reply.headers['x-frame-options'], path).toBe('DENY');
      expect(reply.headers['referrer-policy'], path).toBe('no-referrer');
      expect(reply.headers['x-content-type-options'], path).toBe('nosniff');
    }
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const reply = await new Promise<{ status: number; location?: string }>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: host.redirectPort!, path: '/admin?x=1', headers: { host: `127.0.0.1:${host.redirectPort}` } }, (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, location: response.headers.location });
      })
        .on('error', reject)
        .end();
    });
    expect([301, 308]).toContain(reply.status);
    expect(reply.location).toBe(`https://127.0.0.1:${host.port}/admin?x=1`);
  });

  it('gives anyone an anonymous session behind a __Host- cookie that is Secure, HttpOnly and SameSite=Strict', async () => {
    const browser = new Browser();
    const reply = await browser.open();
    const setCookie = reply.headers['set-cookie']![0]!;
    expect(setCookie).toMatch(/^__Host-[^=]+=[A-Za-z0-9_-]{40,};/);
    for (const attribute of ['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/']) expect(setCookie.split('; ')).toContain(attribute);
    expect(setCookie).not.toMatch(/Domain=/i);
    expect((await browser.call('auth.status', {})).json).toMatchObject({ ok: true, value: { operator: null, firstRun: false } });
    expect((await browser.call('app.info', {})).json).toMatchObject({ ok: true, value: { host: 'server' } });
  });

  it('refuses calls without the cookie, without or with a wrong CSRF token, and from another origin', async () => {
    const browser = new Browser();
    await browser.open();
    const cookieLess = await httpsCall(origin, '/api/call/auth.status', tls.cert, { method: 'POST', headers: { origin, [CSRF_HEADER]: browser.csrf! }, body: '{}' });
    expect(cookieLess.status).toBe(401);
    expect((await browser.call('auth.status', {}, { [CSRF_HEADER]: '' })).status).toBe(403);
    // one character changed, to one it surely is not
    const changed = `${browser.csrf!.slice(0, -1)}${browser.csrf!.endsWith('A') ? 'B' : 'A'}`;
    expect((await browser.call('auth.status', {}, { [CSRF_HEADER]: changed })).status).toBe(403);
    expect((await browser.call('auth.status', {}, { origin: 'https://evil.example' })).status).toBe(403);
    // another browser's token does not fit this one's session
    const other = new Browser();
    await other.open();
    expect((await browser.call('auth.status', {}, { [CSRF_HEADER]: other.csrf! })).status).toBe(403);
    expect((await browser.call('auth.status', {})).status).toBe(200);
  });

  it('refuses every procedure that needs the kiosk card reader, and the first run', async () => {
    const browser = new Browser();
    await browser.open();
    for (const name of ['card.test', 'readers.list', 'pin.change', 'auth.loginCard', 'cardOrders.handover', 'setup.firstRun']) {
      expect((KIOSK_ONLY_PROCEDURES as readonly string[]).includes(name), name).toBe(true);
      expect((await browser.call(name, {})).json, name).toMatchObject({ ok: false, code: 'kiosk-only' });
    }
  });

  it('logs in with password and one-time code and renews the cookie at login and logout', async () => {
    const browser = new Browser();
    await browser.open();
    const before = browser.cookie;
    const login = await browser.call('auth.loginPassword', { username: 'admin', password: ADMIN_PASSWORD, otp: code() });
    expect(login.json).toMatchObject({ ok: true, value: { ok: true, operator: { role: 'org-admin' } } });
    expect(browser.cookie).not.toBe(before);
    // the cookie from before the login (a fixed one) opens nothing of the logged-in session
    const fixed = new Browser();
    fixed.cookie = before;
    fixed.csrf = browser.csrf;
    expect((await fixed.call('staff.list', {})).status).toBe(401);
    expect((await browser.call('staff.list', {})).json).toMatchObject({ ok: true });
    const loggedIn = browser.cookie;
    expect((await browser.call('auth.logout', {})).json).toMatchObject({ ok: true, value: { loggedOut: true } });
    expect(browser.cookie).not.toBe(loggedIn);
  });

  it('answers 429 with Retry-After past the per-account login limit', async () => {
    const browser = new Browser();
    await browser.open();
    const statuses: number[] = [];
    let last: HttpsReply | null = null;
    for (let attempt = 0; attempt <= LOGINS_PER_ACCOUNT; attempt++) {
      last = await browser.call('auth.loginPassword', { username: 'nobody.here', password: 'Fel-losen1', otp: '000000' });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array<number>(LOGINS_PER_ACCOUNT).fill(200), 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(last!.body)).toMatchObject({ ok: false, code: 'rate-limited' });
  });

  it('caps all requests and login calls per client address with 429 and Retry-After', async () => {
    const limited = await startServerHost({
      router: station.router,
      onEvent: station.onEvent,
      staticDir: join(dataDir, 'no-renderer'),
      host: '127.0.0.1',
      port: 0,
      tls: { cert: tls.cert, key: tls.key },
      clientCaRoots: [pki.rootDer],
      limits: { requestsPerAddress: { max: 6, windowMs: 60_000 }, loginsPerAddress: { max: 2, windowMs: 60_000 } },
    });
    try {
      const browser = new Browser(undefined, () => `https://127.0.0.1:${limited.port}`);
      await browser.open();
      // two login calls, then the third from the same address is refused before the router
      const logins = [];
      for (let attempt = 0; attempt < 3; attempt++) logins.push(await browser.call('auth.loginCertificate', {}));
      expect(logins.map((reply) => reply.status)).toEqual([200, 200, 429]);
      expect(logins[2]!.json).toMatchObject({ ok: false, code: 'rate-limited' });
      // the session page and five calls make six requests; the seventh of the minute is refused, whatever it is
      expect((await browser.call('auth.status', {})).status).toBe(200);
      expect((await browser.call('auth.status', {})).status).toBe(200);
      const refused = await browser.call('auth.status', {});
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await httpsCall(`https://127.0.0.1:${limited.port}`, '/', tls.cert)).status).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('logs a SITHS card holder in by the client certificate the browser presented', async () => {
    const browser = new Browser(await clientCertificate(pki, HOLDER));
    await browser.open();
    expect((await browser.call('auth.loginCertificate', {})).json).toMatchObject({ ok: true, value: { ok: true, operator: { displayName: HOLDER.name, role: 'org-admin' } } });
    expect((await browser.call('auth.status', {})).json).toMatchObject({ value: { operator: { displayName: HOLDER.name } } });
    const trail = await station.database.all<{ details: string }>("SELECT details FROM audit_entry WHERE action = 'auth.login' AND outcome = 'ok'");
    expect(trail.some((row) => row.details.includes('certificate'))).toBe(true);
  });

  it('refuses a certificate from an untrusted CA, a revoked one, an unknown holder and a browser with none', async () => {
    const untrusted = new Browser(await clientCertificate(pki, HOLDER, { untrusted: true }));
    await untrusted.open();
    expect((await untrusted.call('auth.loginCertificate', {})).json).toMatchObject({ ok: true, value: { ok: false, reason: 'card-not-trusted' } });
    const revoked = new Browser((globalThis as unknown as { revokedCertificate: { cert: string; key: string } }).revokedCertificate);
    await revoked.open();
    expect((await revoked.call('auth.loginCertificate', {})).json).toMatchObject({ ok: true, value: { ok: false, reason: 'card-not-trusted' } });
    const stranger = new Browser(await clientCertificate(pki, STRANGER));
    await stranger.open();
    expect((await stranger.call('auth.loginCertificate', {})).json).toMatchObject({ ok: true, value: { ok: false, reason: 'card-not-registered' } });
    const none = new Browser();
    await none.open();
    expect((await none.call('auth.loginCertificate', {})).json).toMatchObject({ ok: true, value: { ok: false, reason: 'no-certificate' } });
    for (const browser of [untrusted, revoked, stranger, none]) expect((await browser.call('auth.status', {})).json).toMatchObject({ value: { operator: null } });
  });

  it("answers a look-alike CA's certificate whose request comes after the handshake, as a browser's through a proxy does", async () => {
    // as `npm run serve` loads them: the issuing CA too, so OpenSSL checks the look-alike's signature against it, and that check fails
    const strict = await startServerHost({ router: station.router, onEvent: station.onEvent, staticDir: join(dataDir, 'no-renderer'), host: '127.0.0.1', port: 0, tls: { cert: tls.cert, key: tls.key }, clientCaRoots: [pki.rootDer, pki.issuingCaDer] });
    try {
      const lookAlike = await clientCertificate(pki, HOLDER, { untrusted: true });
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: strict.port, ca: tls.cert, cert: lookAlike.cert, key: lookAlike.key, ALPNProtocols: ['http/1.1'] }, () => {
          setTimeout(() => socket.write('GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'), 200);
        });
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      expect(answer).toContain('csrfToken');
    } finally {
      await strict.close();
    }
  });
});
