// A register set up at a kiosk (browser mode) and then served by server mode on the same data folder, the way a region starts its unit portal; and server-mode calls from inside a page.
import type { Page } from '@playwright/test';
import { testPki, type TestPki } from '../sim/pki';
import { serverTls, type ServerTls } from './server-tls';
import { startServerProcess, type RunningServer } from './server-process';
import { AccountCodes } from './account-pages';
import { apiSession, firstRunByApi, ADMIN_PASSWORD, type Api } from './staff-session';
import { writeTrustDir } from './trust-dir';
import { startWebHostProcess, type RunningWebHost } from './web-host-process';

export interface ServerScene {
  pki: TestPki;
  tls: ServerTls;
  trustDir: string;
  dataDir: string;
  /** The first-run administrator's (asa.admin, ADMIN_PASSWORD) one-time codes. */
  adminCodes: AccountCodes;
}

/** First run at a kiosk, then `setUp` with the administrator logged in there; the kiosk stops before the server opens the register. */
export async function registerAtKiosk(setUp: (admin: Api, kiosk: RunningWebHost, pki: TestPki) => Promise<void> = async () => undefined, kioskEnv?: NodeJS.ProcessEnv): Promise<ServerScene> {
  const pki = await testPki();
  const trustDir = writeTrustDir([pki.rootDer, pki.issuingCaDer]);
  const kiosk = await startWebHostProcess({ args: ['--trust', trustDir], env: kioskEnv });
  try {
    const admin = await apiSession(kiosk);
    // the kiosk keeps real time, as the server will: one code sequence serves both
    const adminCodes = new AccountCodes();
    adminCodes.secret = await firstRunByApi(admin, 'Akademiska, ingång 70');
    await admin('auth.loginPassword', { username: 'asa.admin', password: ADMIN_PASSWORD, otp: await adminCodes.next() });
    await setUp(admin, kiosk, pki);
    return { pki, tls: serverTls(), trustDir, dataDir: kiosk.dataDir, adminCodes };
  } finally {
    await kiosk.stop();
  }
}

export const serveScene = (scene: ServerScene, options: { port?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunningServer> =>
  startServerProcess({ dataDir: scene.dataDir, trustDir: scene.trustDir, tls: scene.tls, ...options });

export interface PageCall {
  status: number;
  body: { ok?: boolean; code?: string; value?: unknown };
}

/** A procedure call made by script from the page, as an attacker's script in it could: with the session's cookie and, unless `csrf` is false, its CSRF token. */
export function callFromPage(page: Page, name: string, input: unknown, options: { csrf?: boolean; cookie?: boolean } = {}): Promise<PageCall> {
  return page.evaluate(
    async ({ name, input, csrf, cookie }) => {
      const credentials = cookie ? ('same-origin' as const) : ('omit' as const);
      const session = (await (await fetch('/api/session', { credentials })).json()) as { csrfToken: string };
      const response = await fetch(`/api/call/${name}`, {
        method: 'POST',
        credentials,
        headers: { 'content-type': 'application/json', ...(csrf ? { 'x-kortstation-csrf': session.csrfToken } : {}) },
        body: JSON.stringify(input),
      });
      return { status: response.status, body: (await response.json()) as PageCall['body'] };
    },
    { name, input, csrf: options.csrf ?? true, cookie: options.cookie ?? true },
  );
}
