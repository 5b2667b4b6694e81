// A station's first run and staff login for end-to-end tests, through the UI or the API, and the keypad.
import { expect, type Page } from '@playwright/test';
import { generateSync } from 'otplib';
import { logInOnPage } from './account-pages';
import { admit, type RunningWebHost } from './web-host-process';

export const ADMIN_PASSWORD = 'Vinterkort42';

/** First run through its screen, which leaves the new organisation administrator logged in. */
export async function setUpStationAsAdmin(page: Page, host: RunningWebHost): Promise<void> {
  await page.goto(host.url);
  await page.getByTestId('first-run-link').click();
  await page.getByTestId('station-name').fill('Akademiska sjukhuset, ingång 70');
  await page.getByTestId('organisation-name').fill('Region Uppsala');
  await page.getByTestId('display-name').fill('Åsa Admin');
  await page.getByTestId('username').fill('asa.admin');
  await page.getByTestId('password').fill(ADMIN_PASSWORD);
  await page.getByTestId('repeat-password').fill(ADMIN_PASSWORD);
  await page.getByTestId('first-run-create').click();
  await page.getByTestId('enrolled').click();
  await expect(page.getByTestId('staff-indicator')).toContainText('Åsa Admin');
}

/** One procedure call; T is what the caller expects back, by default a created record's id (or the first run's enrolment). */
export type Api = <T = { id: number; otpauthUri: string }>(name: string, input: unknown) => Promise<T>;

/** One API session of its own, for setting a scene as an administrator would, without the UI: it trades the host's launch token for a cookie. */
export async function apiSession(host: RunningWebHost): Promise<Api> {
  const admitted = await admit(host);
  if (!admitted) throw new Error('the host refused its own launch token');
  let cookie = admitted;
  return async <T>(name: string, input: unknown): Promise<T> => {
    const response = await fetch(`${host.origin}/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(input) });
    // a logout hands the window a new session
    cookie = response.headers.get('set-cookie')?.split(';')[0] ?? cookie;
    const reply = (await response.json()) as { ok: boolean; value: T };
    if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply)}`);
    return reply.value;
  };
}

/** First run through the API; returns the administrator's one-time-code secret. */
export async function firstRunByApi(api: Api, stationName: string): Promise<string> {
  const { otpauthUri } = await api('setup.firstRun', { organisationName: 'Region Uppsala', stationName, admin: { username: 'asa.admin', displayName: 'Åsa Admin', password: ADMIN_PASSWORD } });
  return new URL(otpauthUri).searchParams.get('secret')!;
}

const STAFF_OTP_STEP_SECONDS = 30;
const lastStepUsed = new Map<string, number>();

/** The administrator's one-time code at the host's time (which a test may have moved); a second login in the same step takes the next step's code, as the station refuses a code twice. */
export function staffCode(host: RunningWebHost, otpSecret: string): string {
  const step = Math.max(Math.floor(host.now().getTime() / 1000 / STAFF_OTP_STEP_SECONDS), (lastStepUsed.get(otpSecret) ?? -1) + 1);
  lastStepUsed.set(otpSecret, step);
  return generateSync({ secret: otpSecret, epoch: step * STAFF_OTP_STEP_SECONDS });
}

/** An API session logged in as the first-run administrator, for a host restarted on an existing data folder. */
export async function apiLogin(host: RunningWebHost, otpSecret: string): Promise<Api> {
  const api = await apiSession(host);
  await api('auth.loginPassword', { username: 'asa.admin', password: ADMIN_PASSWORD, otp: staffCode(host, otpSecret) });
  return api;
}

export const logInWithPassword = (page: Page, host: RunningWebHost, path: string, otpSecret: string): Promise<void> =>
  logInOnPage(page, `${host.url}#${path}`, { username: 'asa.admin', password: ADMIN_PASSWORD, otp: staffCode(host, otpSecret), displayName: 'Åsa Admin' });

/** Types digits on the kiosk's on-screen keypad and presses OK. */
export async function typeOnKeypad(page: Page, digits: string): Promise<void> {
  const keypad = page.getByTestId('keypad');
  for (const digit of digits) await keypad.getByRole('button', { name: digit, exact: true }).click();
  await page.getByTestId('keypad-ok').click();
}
