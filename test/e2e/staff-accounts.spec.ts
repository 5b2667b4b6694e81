import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { generateSync } from 'otplib';
import { invitationTokenIn } from '../support/invitation-mail';
import { openTestRegister } from '../support/register';
import { resetCodeIn, startSmsGateway, type RunningSmsGateway } from '../support/sms-gateway';
import { closedPort, startSmtp, type RunningSmtp } from '../support/smtp';
import { setUpStationAsAdmin } from '../support/staff-session';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

let host: RunningWebHost;
let smtp: RunningSmtp;
let gateway: RunningSmsGateway;
let olleSecret = '';
const SCREENS = 'test-results/screens';
const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });

/** A code from a step after any used so far (the station refuses a step's code twice), waiting while that step is more than one ahead of the host's clock. */
let lastStep = 0;
async function olleCode(): Promise<string> {
  const step = Math.max(Math.floor(host.now().getTime() / 30_000), lastStep + 1);
  while (Math.floor(host.now().getTime() / 30_000) < step - 1) await new Promise((resolve) => setTimeout(resolve, 500));
  lastStep = step;
  return generateSync({ secret: olleSecret, epoch: step * 30 });
}

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
});
test.afterAll(async () => {
  await host.stop();
  await gateway.stop();
  await smtp.stop();
});

async function logIn(page: Page, password: string): Promise<void> {
  await page.goto(`${host.url}#/login`);
  await page.getByTestId('login-password').click();
  await page.getByTestId('username').fill('olle.op');
  await page.getByTestId('password').fill(password);
  await page.getByTestId('otp').fill(await olleCode());
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('staff-indicator')).toContainText('Olle Operatör');
}

test('an invitation link lets the new person choose their password and enrol their code, then log in', async ({ page }) => {
  await setUpStationAsAdmin(page, host);
  await page.goto(`${host.url}#/staff`);
  await page.getByTestId('staff-new').click();
  await page.getByTestId('staff-display-name').fill('Olle Operatör');
  await page.getByTestId('staff-username').fill('olle.op');
  await page.getByTestId('staff-email').fill('olle.op@example.se');
  await page.getByTestId('staff-mobile').fill('070-123 45 67');
  await page.getByTestId('staff-create').click();
  await expect(page.getByTestId('staff-message')).toContainText('inbjudan är skickad');
  await page.getByTestId('logout').click();

  await expect.poll(() => smtp.arrived.filter((mail) => mail.to.includes('olle.op@example.se')).length, { timeout: 15_000 }).toBe(1);
  const token = invitationTokenIn(smtp.arrived.at(-1)!.raw);
  await page.goto(`${host.url}#/invitation/${token}`);
  await expect(page.getByTestId('invitation-view')).toContainText('Ditt användarnamn är olle.op');
  await page.getByTestId('invitation-password').fill('Sommarkort');
  await expect(page.getByTestId('rule-digit')).not.toHaveClass(/met/);
  await expect(page.getByTestId('invitation-show-key')).toBeDisabled();
  await page.getByTestId('invitation-password').fill('Sommarkort24');
  await expect(page.getByTestId('rule-digit')).toHaveClass(/met/);
  await page.getByTestId('invitation-repeat').fill('Sommarkort24');
  await page.getByTestId('invitation-show-key').click();
  olleSecret = (await page.getByTestId('otp-secret').textContent())!.replace(/\s/g, '');
  await shot(page, 'invitation-key');
  await page.getByTestId('invitation-otp').fill(await olleCode());
  await page.getByTestId('invitation-complete').click();
  await expect(page.getByTestId('invitation-done')).toBeVisible();
  // the link is used up
  await page.reload();
  await expect(page.getByTestId('invitation-error')).toHaveText('Länken gäller inte längre. Be din administratör om en ny inbjudan.');

  await logIn(page, 'Sommarkort24');
  await expect(page.getByTestId('last-login')).toHaveText('Det här är din första inloggning.');
  await page.getByTestId('logout').click();
});

test('a forgotten password is replaced with a code sent by SMS, and the next login says when the last one was', async ({ page }) => {
  test.skip(olleSecret === '', 'needs the account the invitation test made');
  await page.goto(`${host.url}#/login`);
  await page.getByTestId('login-password').click();
  await page.getByTestId('forgot-password').click();
  await page.getByTestId('forgot-username').fill('olle.op');
  await page.getByTestId('forgot-send').click();
  await expect(page.getByTestId('forgot-sent')).toBeVisible();
  await expect(page.getByTestId('forgot-servicedesk')).toContainText('Ring Servicedesk');
  await expect.poll(() => gateway.arrived.length, { timeout: 15_000 }).toBe(1);
  expect(gateway.arrived[0]).toMatchObject({ to: '+46701234567', authorization: 'Bearer e2e-gateway-token' });
  await page.getByTestId('forgot-code').fill(resetCodeIn(gateway.arrived[0]!.text));
  await page.getByTestId('forgot-choice-new').check();
  await page.getByTestId('forgot-new-password').fill('Sommarkort24');
  await page.getByTestId('forgot-repeat').fill('Sommarkort24');
  await page.getByTestId('forgot-submit').click();
  await expect(page.getByTestId('forgot-error')).toHaveText('Lösenordet har använts tidigare. Välj ett nytt.');
  await page.getByTestId('forgot-new-password').fill('Vinterkort35');
  await page.getByTestId('forgot-repeat').fill('Vinterkort35');
  await shot(page, 'forgot-password');
  await page.getByTestId('forgot-submit').click();
  await expect(page.getByTestId('forgot-done')).toContainText('Logga in med det nya lösenordet');

  await logIn(page, 'Vinterkort35');
  await expect(page.getByTestId('last-login')).toContainText('Senast inloggad');
  await expect(page.getByTestId('last-login')).toContainText('med lösenord');
});

test('a password someone else chose is changed before any other screen opens', async ({ page }) => {
  test.skip(olleSecret === '', 'needs the account the earlier tests made');
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
  await page.getByTestId('otp').fill(await olleCode());
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
