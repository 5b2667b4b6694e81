import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { closedPort, startSmtp, type RunningSmtp } from '../support/smtp';
import { apiSession, firstRunByApi, logInWithPassword } from '../support/staff-session';
import { createPerson, readyCardOrder } from '../support/station-scene';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

let host: RunningWebHost;
let smtp: RunningSmtp | null = null;
let smtpPort = 0;
let adminSecret = '';
const SCREENS = 'test-results/screens';
const CARD_NUMBER = '9752269000004711';

/** Anna's card is made ready, which queues her "card ready" e-mail while the relay is down. */
test.beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  smtpPort = await closedPort();
  host = await startWebHostProcess({ env: { KORTSTATION_SMTP_HOST: '127.0.0.1', KORTSTATION_SMTP_PORT: String(smtpPort), KORTSTATION_MAIL_FROM: 'kortstation@example.se' } });
  const api = await apiSession(host);
  adminSecret = await firstRunByApi(api, 'Akademiska, ingång 70');
  const anna = await createPerson(api, { firstName: 'Anna', surname: 'Berg', personnummer: '198507099805', email: 'anna.berg@example.se', employmentType: 'region' });
  await readyCardOrder(api, anna, CARD_NUMBER);
});
test.afterAll(async () => {
  await smtp?.stop();
  await host.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });

test('a message that failed while the relay was down is re-sent from the screen once it is up, and arrives', async ({ page }) => {
  await logInWithPassword(page, host, '/outbox', adminSecret);
  await page.getByTestId('outbox-state').selectOption('');
  await page.getByRole('button', { name: 'Visa' }).click();
  const message = page.getByTestId('outbox-table').getByRole('row', { name: /anna\.berg@example\.se/ });
  await expect(message).toContainText('Ditt eTjänstekort är klart att hämta');

  await message.getByTestId('outbox-resend').click();
  await expect(page.getByRole('alert')).toContainText('Meddelandet kunde inte skickas (');
  await expect(page.getByRole('alert')).toContainText('ECONNREFUSED');
  await expect(message).toContainText('I kö');
  await expect(message).toContainText('ECONNREFUSED');
  await shot(page, 'outbox-relay-down');

  smtp = await startSmtp(smtpPort);
  await message.getByTestId('outbox-resend').click();
  await expect(page.getByRole('status')).toHaveText('Meddelandet skickades.');
  await expect(message).toContainText('Skickat');
  await expect(message.getByTestId('outbox-resend')).toHaveCount(0);
  await shot(page, 'outbox-resent');

  expect(smtp.arrived).toHaveLength(1);
  const [arrived] = smtp.arrived;
  expect(arrived).toMatchObject({ from: 'kortstation@example.se', to: ['anna.berg@example.se'] });
  expect(arrived!.raw).toContain(CARD_NUMBER);
  expect(arrived!.raw).toContain('Akademiska');
});
