// Server mode in Chromium over HTTPS (`npm run serve` as a process): password and code, SITHS login by client certificate, no counter, security headers.
import { expect, test, type Browser, type BrowserContext } from '@playwright/test';
import { generateSync } from 'otplib';
import { testPki, type TestPki } from '../sim/pki';
import { clientCertificate, serverTls, type ClientCertificate, type ServerTls } from '../support/server-tls';
import { startServerProcess, type RunningServer } from '../support/server-process';
import { ADMIN_PASSWORD, apiSession, firstRunByApi } from '../support/staff-session';
import { writeTrustDir } from '../support/trust-dir';
import { startWebHostProcess } from '../support/web-host-process';
import { sv } from '@shared/i18n/auth';

const HOLDER = { name: 'Ulla Enhetschef', hsaId: 'SE2321000016-ul1a' };

let pki: TestPki;
let tls: ServerTls;
let server: RunningServer;
let adminSecret: string;
let revoked: ClientCertificate;

test.beforeAll(async () => {
  pki = await testPki();
  tls = serverTls();
  const trustDir = writeTrustDir([pki.rootDer, pki.issuingCaDer]);
  revoked = await clientCertificate(pki, HOLDER);
  // the register is set up at a kiosk first: administrator, a unit manager with an HSA-ID, the CA's CRL
  const kiosk = await startWebHostProcess({ args: ['--trust', trustDir] });
  try {
    const api = await apiSession(kiosk);
    adminSecret = await firstRunByApi(api, 'Akademiska');
    await api('staff.create', { username: 'ulla', displayName: HOLDER.name, role: 'unit-admin', hsaId: HOLDER.hsaId });
    const now = Date.now();
    const crl = await pki.crl({ thisUpdate: new Date(now - 3_600_000), nextUpdate: new Date(now + 7 * 86_400_000), revokedSerials: [revoked.serialNumber] });
    await api('crl.import', { contentBase64: Buffer.from(crl).toString('base64') });
  } finally {
    await kiosk.stop();
  }
  server = await startServerProcess({ dataDir: kiosk.dataDir, trustDir, tls });
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
  await page.getByTestId('login-password').click();
  await page.getByTestId('username').fill('asa.admin');
  await page.getByTestId('password').fill(ADMIN_PASSWORD);
  await page.getByTestId('otp').fill(generateSync({ secret: adminSecret }));
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('staff-indicator')).toContainText('Åsa Admin');
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
  const context = await serverContext(browser, await clientCertificate(pki, HOLDER));
  const page = await context.newPage();
  await page.goto(`${server.origin}/#/login`);
  await page.getByTestId('login-certificate').click();
  await expect(page.getByTestId('staff-indicator')).toContainText(HOLDER.name);
  await context.close();
});

// an untrusted CA's certificate is refused in test/integration/server-mode.test.ts: through Playwright's client-certificate proxy its connection is reset
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
