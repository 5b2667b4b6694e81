import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { generateSync } from 'otplib';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

let host: RunningWebHost;
const SCREENS = 'test-results/screens';
const PASSWORD = 'Vinterkort42';

test.beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  host = await startWebHostProcess();
});
test.afterAll(async () => {
  await host.stop();
});

// the start screen's headline depends on cards in the shared virtual readers; its reader list is always there
const startScreen = (page: Page) => page.getByRole('heading', { name: 'Kortläsare' });
const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });

test('first run creates the administrator, who logs out and back in with password and one-time code', async ({ page }) => {
  await page.goto(host.url);
  // the card test at the counter needs no login, even before the first run
  await expect(startScreen(page)).toBeVisible();
  await page.getByTestId('first-run-link').click();
  await expect(page.getByRole('heading', { name: 'Sätt upp kortstationen' })).toBeVisible();
  await page.getByTestId('station-name').fill('Akademiska sjukhuset, ingång 70');
  await page.getByTestId('organisation-name').fill('Region Uppsala');
  await page.getByTestId('display-name').fill('Åsa Admin');
  await page.getByTestId('username').fill('asa.admin');
  await page.getByTestId('password').fill('vinter');
  await expect(page.getByTestId('password-rules')).toContainText('minst en stor bokstav');
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('repeat-password').fill(PASSWORD);
  await shot(page, 'login-first-run');
  await page.getByTestId('first-run-create').click();

  await expect(page.getByRole('heading', { name: 'Koppla din engångsdosa' })).toBeVisible();
  const uri = await page.getByTestId('otpauth-uri').innerText();
  const secret = new URL(uri).searchParams.get('secret')!;
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(page.getByTestId('staff-indicator')).toContainText('Åsa Admin');
  await shot(page, 'login-enrol-token');
  await page.getByTestId('enrolled').click();
  await expect(startScreen(page)).toBeVisible();

  await page.getByTestId('logout').click();
  await expect(page.getByTestId('lock-view')).toBeVisible();
  await expect(page.getByTestId('staff-indicator')).toHaveCount(0);
  await shot(page, 'login-lock-screen');

  await page.getByTestId('login-card').click();
  await expect(page.getByTestId('login-no-card')).toBeVisible();
  await shot(page, 'login-card-no-card');
  await page.getByRole('button', { name: 'Tillbaka' }).click();

  await page.getByTestId('login-password').click();
  await page.getByTestId('username').fill('asa.admin');
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('otp').fill(generateSync({ secret, epoch: Math.floor(Date.now() / 1000) - 300 }));
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-message')).toHaveText('Fel användarnamn, lösenord eller engångskod.');
  await expect(page.getByTestId('password')).toHaveValue('');
  await shot(page, 'login-wrong-code');

  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('otp').fill(generateSync({ secret }));
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('staff-indicator')).toContainText('Åsa Admin · Organisationsadministratör');
  // a login without a screen to return to lands on the counter home
  await expect(page.getByTestId('counter-tiles').getByRole('link', { name: 'Testa kort', exact: true })).toBeVisible();
  await shot(page, 'login-logged-in');

  await page.getByTestId('logout').click();
  await expect(page.getByTestId('lock-view')).toBeVisible();
  await expect(page.getByTestId('staff-login')).toBeVisible();
});
