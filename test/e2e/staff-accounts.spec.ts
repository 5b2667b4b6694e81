import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { AccountCodes, acceptInvitationOnPage, inviteOnStaffPage, logInOnPage, requestResetCode, submitNewPassword } from '../support/account-pages';
import { invitationTokenIn } from '../support/invitation-mail';
import { openTestRegister } from '../support/register';
import { resetCodeIn, startSmsGateway, type RunningSmsGateway } from '../support/sms-gateway';
import { closedPort, startSmtp, type RunningSmtp } from '../support/smtp';
import { setUpStationAsAdmin } from '../support/staff-session';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

// the later tests use the accounts the invitation test made: one failing skips those after it, by name, instead of letting them pass vacuously
test.describe.configure({ mode: 'serial' });

let host: RunningWebHost;
let smtp: RunningSmtp;
let gateway: RunningSmsGateway;
let olle: AccountCodes;
const SCREENS = 'test-results/screens';
const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });

test.beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  smtp = await startSmtp();
  gateway = await startSmsGateway();
  // the links point at the host itself: its port is chosen here so the address is known before it starts
  const port = await closedPort();
  host = await startWebHostProcess({
    args: ['--port', String(port)],
    env: {
      KORTSTATION_PUBLIC_URL: `http://127.0.0.1:${port}`,
      KORTSTATION_SMTP_HOST: '127.0.0.1',
      KORTSTATION_SMTP_PORT: String(smtp.port),
      KORTSTATION_MAIL_FROM: 'kortstation@example.se',
      KORTSTATION_SMS_URL: gateway.url,
      KORTSTATION_SMS_TOKEN: 'e2e-gateway-token',
    },
  });
  olle = new AccountCodes(() => host.now());
});
test.afterAll(async () => {
  await host.stop();
  await gateway.stop();
  await smtp.stop();
});

const logIn = async (page: Page, password: string): Promise<void> =>
  logInOnPage(page, `${host.url}#/login`, { username: 'olle.op', password, otp: await olle.next(), displayName: 'Olle Operatör' });

test('an invitation link lets the new person choose their password and enrol their code, then log in', async ({ page }) => {
  await setUpStationAsAdmin(page, host);
  await page.goto(`${host.url}#/staff`);
  await inviteOnStaffPage(page, { displayName: 'Olle Operatör', username: 'olle.op', email: 'olle.op@example.se', mobile: '070-123 45 67' });
  await expect.poll(() => smtp.arrived.filter((mail) => mail.to.includes('olle.op@example.se')).length, { timeout: 15_000 }).toBe(1);
  const token = invitationTokenIn(smtp.arrived.at(-1)!.raw);

  // the link opened while "Logga ut" is still under way: the lock screen must not replace it when the logout finishes
  let finishLogout = (): void => {};
  const logoutHeld = new Promise<void>((resolve) => (finishLogout = resolve));
  await page.route('**/api/call/auth.logout', async (route) => {
    await logoutHeld;
    await route.continue();
  });
  await page.getByTestId('logout').click();
  // the same document (no launch token in the address), so the held logout is still under way
  await page.goto(`${host.origin}/#/invitation/${token}`);
  await expect(page.getByTestId('invitation-view')).toContainText('Ditt användarnamn är olle.op');
  finishLogout();
  await expect(page.getByTestId('staff-indicator')).toHaveCount(0);
  await expect(page.getByTestId('invitation-view')).toContainText('Ditt användarnamn är olle.op');
  await page.getByTestId('invitation-password').fill('Sommarkort');
  await expect(page.getByTestId('rule-digit')).not.toHaveClass(/met/);
  await expect(page.getByTestId('invitation-show-key')).toBeDisabled();
  await page.getByTestId('invitation-password').fill('Sommarkort24');
  await expect(page.getByTestId('rule-digit')).toHaveClass(/met/);
  await acceptInvitationOnPage(page, 'Sommarkort24', olle, () => shot(page, 'invitation-key'));
  // the link is used up
  await page.reload();
  await expect(page.getByTestId('invitation-error')).toHaveText('Länken gäller inte längre. Be din administratör om en ny inbjudan.');

  await logIn(page, 'Sommarkort24');
  await expect(page.getByTestId('last-login')).toHaveText('Det här är din första inloggning.');
  await page.getByTestId('logout').click();
});

test('a forgotten password is replaced with a code sent by SMS, and the next login says when the last one was', async ({ page }) => {
  await requestResetCode(page, `${host.url}#/login`, 'olle.op');
  await expect.poll(() => gateway.arrived.length, { timeout: 15_000 }).toBe(1);
  expect(gateway.arrived[0]).toMatchObject({ to: '+46701234567', authorization: 'Bearer e2e-gateway-token' });
  await submitNewPassword(page, resetCodeIn(gateway.arrived[0]!.text), 'Sommarkort24');
  await expect(page.getByTestId('forgot-error')).toHaveText('Lösenordet har använts tidigare. Välj ett nytt.');
  await submitNewPassword(page, resetCodeIn(gateway.arrived[0]!.text), 'Vinterkort35');
  await shot(page, 'forgot-password');
  await expect(page.getByTestId('forgot-done')).toContainText('Logga in med det nya lösenordet');

  await logIn(page, 'Vinterkort35');
  await expect(page.getByTestId('last-login')).toContainText('Senast inloggad');
  await expect(page.getByTestId('last-login')).toContainText('med lösenord');
});

test('a password someone else chose is changed before any other screen opens', async ({ page }) => {
  // as migration 016 marks the passwords administrators typed before it
  const register = await openTestRegister(host.dataDir);
  try {
    await register.run("UPDATE staff_account SET password_change_required = 1 WHERE username = 'olle.op'");
  } finally {
    await register.close();
  }
  await page.goto(`${host.url}#/login`);
  await page.getByTestId('login-password').click();
  await page.getByTestId('username').fill('olle.op');
  await page.getByTestId('password').fill('Vinterkort35');
  await page.getByTestId('otp').fill(await olle.next());
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('change-password-forced')).toBeVisible();
  await page.goto(`${host.origin}/#/people`);
  await expect(page.getByTestId('change-password-view')).toBeVisible();
  await page.getByTestId('current-password').fill('Vinterkort35');
  await page.getByTestId('new-password').fill('Varkort2026');
  await page.getByTestId('repeat-new-password').fill('Varkort2026');
  await shot(page, 'change-password-forced');
  await page.getByTestId('change-password-submit').click();
  await expect(page).toHaveURL(/#\/home$/);
  await page.goto(`${host.origin}/#/people`);
  await expect(page.getByTestId('change-password-view')).toHaveCount(0);
});

test('an unknown username gets the same answer and no SMS', async ({ page }) => {
  const before = gateway.arrived.length;
  await page.goto(`${host.url}#/forgot-password`);
  await page.getByTestId('forgot-username').fill('ingen.sadan');
  await page.getByTestId('forgot-send').click();
  await expect(page.getByTestId('forgot-sent')).toBeVisible();
  await page.waitForTimeout(1_000);
  expect(gateway.arrived.length).toBe(before);
});
