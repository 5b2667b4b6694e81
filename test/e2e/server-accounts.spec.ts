// Staff accounts over HTTPS against server mode (`npm run serve` as a process): an invitation link to the server's own address → own password → code → login; Glömt lösenord by an SMS code from a real local gateway; "Ring Servicedesk" for an account without a mobile.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { AccountCodes, acceptInvitationOnPage, inviteOnStaffPage, logInOnPage, requestResetCode, submitNewPassword } from '../support/account-pages';
import { invitationLinkIn } from '../support/invitation-mail';
import { registerAtKiosk, serveScene, type ServerScene } from '../support/server-scene';
import type { RunningServer } from '../support/server-process';
import { resetCodeIn, startSmsGateway, type RunningSmsGateway } from '../support/sms-gateway';
import { closedPort, startSmtp, type RunningSmtp } from '../support/smtp';
import { ADMIN_PASSWORD } from '../support/staff-session';

const OLLE = { displayName: 'Olle Operatör', username: 'olle.op', email: 'olle.op@example.se', mobile: '070-123 45 67' };
const MONA = { displayName: 'Mona Utanmobil', username: 'mona.u', email: 'mona.u@example.se' };

// the later tests use the accounts the invitation test made: one failing skips those after it, by name, instead of letting them pass vacuously
test.describe.configure({ mode: 'serial' });

let scene: ServerScene;
let server: RunningServer;
let smtp: RunningSmtp;
let gateway: RunningSmsGateway;
const olle = new AccountCodes();
const mona = new AccountCodes();

test.beforeAll(async () => {
  smtp = await startSmtp();
  gateway = await startSmsGateway();
  scene = await registerAtKiosk();
  // the links must point at the server itself: its port is chosen here so the address is known before it starts
  const port = await closedPort();
  server = await serveScene(scene, {
    port,
    env: {
      KORTSTATION_PUBLIC_URL: `https://127.0.0.1:${port}`,
      KORTSTATION_SMTP_HOST: '127.0.0.1',
      KORTSTATION_SMTP_PORT: String(smtp.port),
      KORTSTATION_MAIL_FROM: 'kortstation@example.se',
      KORTSTATION_SMS_URL: gateway.url,
      KORTSTATION_SMS_TOKEN: 'e2e-gateway-token',
    },
  });
});
test.afterAll(async () => {
  await server?.stop();
  await gateway?.stop();
  await smtp?.stop();
});

// a step that cannot go on fails by name instead of running out the test's minute
test.use({ actionTimeout: 15_000 });

const serverPage = async (browser: Browser): Promise<Page> => (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();

async function invitationLinkTo(email: string): Promise<string> {
  await expect.poll(() => smtp.arrived.filter((mail) => mail.to.includes(email)).length, { timeout: 15_000 }).toBe(1);
  return invitationLinkIn(smtp.arrived.find((mail) => mail.to.includes(email))!.raw);
}

test('an invitation link to the server lets the new person choose their password and enrol their code, then log in', async ({ browser }) => {
  const page = await serverPage(browser);
  await logInOnPage(page, `${server.origin}/#/login`, { username: 'asa.admin', password: ADMIN_PASSWORD, otp: await scene.adminCodes.next(), displayName: 'Åsa Admin' });
  await page.goto(`${server.origin}/#/staff`);
  await inviteOnStaffPage(page, OLLE);
  await inviteOnStaffPage(page, MONA);
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('lock-view')).toBeVisible();

  const link = await invitationLinkTo(OLLE.email);
  expect(link.startsWith(`${server.origin}/#/invitation/`)).toBe(true);
  await page.goto(link);
  await expect(page.getByTestId('invitation-view')).toContainText('Ditt användarnamn är olle.op');
  await acceptInvitationOnPage(page, 'Sommarkort24', olle);
  // the link is used up
  await page.reload();
  await expect(page.getByTestId('invitation-error')).toHaveText('Länken gäller inte längre. Be din administratör om en ny inbjudan.');

  await logInOnPage(page, `${server.origin}/#/login`, { username: OLLE.username, password: 'Sommarkort24', otp: await olle.next(), displayName: OLLE.displayName });
  await expect(page.getByTestId('last-login')).toHaveText('Det här är din första inloggning.');
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('lock-view')).toBeVisible();

  await page.goto(await invitationLinkTo(MONA.email));
  await acceptInvitationOnPage(page, 'Hostkort24', mona);
  await page.context().close();
});

test('a forgotten password is replaced with a code sent by SMS, then the new one logs in', async ({ browser }) => {
  const page = await serverPage(browser);
  await requestResetCode(page, `${server.origin}/#/login`, OLLE.username);
  await expect.poll(() => gateway.arrived.length, { timeout: 15_000 }).toBe(1);
  expect(gateway.arrived[0]).toMatchObject({ to: '+46701234567', authorization: 'Bearer e2e-gateway-token' });
  await submitNewPassword(page, resetCodeIn(gateway.arrived[0]!.text), 'Vinterkort35');
  await expect(page.getByTestId('forgot-done')).toContainText('Logga in med det nya lösenordet');

  await logInOnPage(page, `${server.origin}/#/login`, { username: OLLE.username, password: 'Vinterkort35', otp: await olle.next(), displayName: OLLE.displayName });
  await expect(page.getByTestId('last-login')).toContainText('med lösenord');
  await page.context().close();
});

test('an account without a mobile is told to call the Servicedesk, and no SMS goes out', async ({ browser }) => {
  const page = await serverPage(browser);
  const before = gateway.arrived.length;
  await requestResetCode(page, `${server.origin}/#/login`, MONA.username);
  await expect(page.getByTestId('forgot-servicedesk')).toHaveText('Har du inget mobilnummer registrerat? Ring Servicedesk så hjälper de dig.');
  // a request after hers does reach the gateway: by then any SMS of hers would have gone out before it
  await requestResetCode(page, `${server.origin}/#/login`, OLLE.username);
  await expect.poll(() => gateway.arrived.length, { timeout: 15_000 }).toBe(before + 1);
  expect(gateway.arrived.at(-1)!.to).toBe('+46701234567');
  await page.context().close();
});
