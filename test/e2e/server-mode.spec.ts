// Server mode in Chromium over HTTPS (`npm run serve` as a process): password and code, SITHS login by client certificate, no counter, security headers.
import { expect, test, type Browser, type BrowserContext } from '@playwright/test';
import { logInOnPage } from '../support/account-pages';
import { clientCertificate, type ClientCertificate } from '../support/server-tls';
import type { RunningServer } from '../support/server-process';
import { callFromPage, registerAtKiosk, serveScene, type ServerScene } from '../support/server-scene';
import { ADMIN_PASSWORD } from '../support/staff-session';
import { sv } from '@shared/i18n/auth';

const HOLDER = { name: 'Ulla Enhetschef', hsaId: 'SE2321000016-ul1a' };

let scene: ServerScene;
let server: RunningServer;
let revoked: ClientCertificate;

test.beforeAll(async () => {
  // the register is set up at a kiosk first: administrator, a unit manager with an HSA-ID, the CA's CRL
  scene = await registerAtKiosk(async (api, _kiosk, pki) => {
    revoked = await clientCertificate(pki, HOLDER);
    await api('staff.create', { username: 'ulla', displayName: HOLDER.name, role: 'unit-admin', hsaId: HOLDER.hsaId });
    const now = Date.now();
    const crl = await pki.crl({ thisUpdate: new Date(now - 3_600_000), nextUpdate: new Date(now + 7 * 86_400_000), revokedSerials: [revoked.serialNumber] });
    await api('crl.import', { contentBase64: Buffer.from(crl).toString('base64') });
  });
  server = await serveScene(scene);
});

test.afterAll(async () => {
  await server?.stop();
});

const serverContext = (browser: Browser, certificate?: ClientCertificate): Promise<BrowserContext> =>
  browser.newContext({ ignoreHTTPSErrors: true, ...(certificate ? { clientCertificates: [{ origin: server.origin, certPath: certificate.certFile, keyPath: certificate.keyFile }] } : {}) });

test('password and one-time code reach the staff pages, with no counter or card menus', async ({ browser }) => {
  const context = await serverContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.origin}/`);
  await expect(page.getByTestId('lock-view')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('login-certificate')).toHaveText('Logga in med SITHS-kort');
  await expect(page.getByTestId('login-card')).toHaveCount(0);
  await logInOnPage(page, `${server.origin}/`, { username: 'asa.admin', password: ADMIN_PASSWORD, otp: await scene.adminCodes.next(), displayName: 'Åsa Admin' });
  await expect(page.getByTestId('nav-administration')).toBeVisible();
  await expect(page.getByTestId('nav-home')).toHaveCount(0);
  // the counter's card screens are not there: their addresses open the administration page
  for (const path of ['/home', '/cards/handover', '/']) {
    await page.goto(`${server.origin}/#${path}`);
    await expect(page).toHaveURL(/#\/admin$/);
  }
  // the tokens, which need no reader, are reached from the administration page; the counter's card tiles are nowhere
  await expect(page.getByTestId('admin-tokens')).toBeVisible();
  await expect(page.getByTestId('tile-handover')).toHaveCount(0);
  await context.close();
});

test('logs a SITHS card holder in by the certificate the browser presents', async ({ browser }) => {
  const context = await serverContext(browser, await clientCertificate(scene.pki, HOLDER));
  const page = await context.newPage();
  await page.goto(`${server.origin}/#/login`);
  await page.getByTestId('login-certificate').click();
  await expect(page.getByTestId('staff-indicator')).toContainText(HOLDER.name);
  await context.close();
});

// a look-alike CA's certificate (same names as the SITHS CAs, another key) fails OpenSSL's signature check during the handshake: the server must still answer, not reset
test('refuses a certificate from a CA it does not trust', async ({ browser }) => {
  const context = await serverContext(browser, await clientCertificate(scene.pki, HOLDER, { untrusted: true }));
  const page = await context.newPage();
  await page.goto(`${server.origin}/#/login`);
  await page.getByTestId('login-certificate').click();
  await expect(page.getByTestId('login-message')).toHaveText(sv.refusals['card-not-trusted']);
  await expect(page.getByTestId('staff-indicator')).toHaveCount(0);
  await context.close();
});

test('refuses a revoked certificate', async ({ browser }) => {
  const context = await serverContext(browser, revoked);
  const page = await context.newPage();
  await page.goto(`${server.origin}/#/login`);
  await page.getByTestId('login-certificate').click();
  await expect(page.getByTestId('login-message')).toHaveText(sv.refusals['card-not-trusted']);
  await expect(page.getByTestId('staff-indicator')).toHaveCount(0);
  await context.close();
});

test('answers with the security headers and redirects plain HTTP', async ({ browser, request }) => {
  const context = await serverContext(browser);
  const page = await context.newPage();
  const response = await page.goto(`${server.origin}/`);
  const headers = response!.headers();
  expect(headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-content-type-options']).toBe('nosniff');
  const plain = await request.get(`http://127.0.0.1:${server.redirectPort}/#/admin`, { maxRedirects: 0 });
  expect(plain.status()).toBe(308);
  expect(plain.headers()['location']).toBe(`${server.origin}/`);
  await context.close();
});

test('refuses a call without the CSRF token or without the session cookie', async ({ browser }) => {
  const context = await serverContext(browser);
  const page = await context.newPage();
  await logInOnPage(page, `${server.origin}/#/login`, { username: 'asa.admin', password: ADMIN_PASSWORD, otp: await scene.adminCodes.next(), displayName: 'Åsa Admin' });
  // with both the call goes through; without either it is refused before any procedure runs
  expect(await callFromPage(page, 'auth.status', {})).toMatchObject({ status: 200, body: { ok: true } });
  expect(await callFromPage(page, 'auth.status', {}, { csrf: false })).toMatchObject({ status: 403, body: { ok: false, code: 'forbidden' } });
  expect(await callFromPage(page, 'auth.status', {}, { cookie: false })).toMatchObject({ status: 401, body: { ok: false, code: 'not-logged-in' } });
  // a page of another origin cannot call either: its Origin is refused even with the cookie the browser holds
  const crossSite = await context.request.post(`${server.origin}/api/call/auth.status`, { headers: { origin: 'https://intranet.example.se', 'content-type': 'application/json' }, data: {} });
  expect(crossSite.status()).toBe(403);
  await context.close();
});
