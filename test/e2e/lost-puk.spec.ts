// Issue 18 item 4: a lost PUK-kod at the counter, both ways — a new PUK-kod ordered, and (where the region allows it) the PUK-kod from SITHS eID-portalen typed for the unlock.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { createScenario, SCENARIO_PINS } from '../sim/scenarios';
import { insertCard, type InsertedCard } from '../sim/vpcd';
import { READER_0 } from '../support/pcscd';
import { apiSession, firstRunByApi, logInWithPassword, typeOnKeypad } from '../support/staff-session';
import { openAdministration, openCounterTile } from '../support/counter-nav';
import { writeTrustDir } from '../support/trust-dir';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

let host: RunningWebHost;
let adminSecret = '';
let card: InsertedCard | null = null;
const SCREENS = 'test-results/screens';
const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });

test.beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  host = await startWebHostProcess({ args: ['--trust', writeTrustDir((await createScenario('healthy')).trustedRoots)] });
  adminSecret = await firstRunByApi(await apiSession(host), 'Akademiska, ingång 70');
});
test.afterEach(async () => {
  await card?.remove();
  card = null;
});
test.afterAll(async () => {
  await host.stop();
});

/** The holder's card in reader 0 and their ID-handling checked on the lost PUK-kod screen. */
async function checkIdOfHolder(page: Page): Promise<void> {
  card = await insertCard((await createScenario('pin-blocked')).applet, { reader: 0 });
  await openCounterTile(page, 'Borttappad PUK-kod');
  await page.getByTestId('puk-reader').getByRole('button', { name: READER_0 }).click();
  await page.getByTestId('document-type').selectOption('pass');
  await page.getByTestId('document-last-four').fill('98xy');
  await page.getByTestId('document-expiry').fill('2020-01-01');
  await expect(page.getByTestId('document-expired')).toContainText('ID-handlingen har gått ut');
  await expect(page.getByTestId('check-id')).toBeDisabled();
  await page.getByTestId('document-expiry').fill('2032-03-31');
  await page.getByTestId('holder-matches').check();
  await shot(page, 'lost-puk-id-check');
  await page.getByTestId('check-id').click();
}

test('orders a new PUK-kod after the ID-handling check, and tells the holder what happens next', async ({ page }) => {
  await logInWithPassword(page, host, '/cards/lost-puk', adminSecret);
  await checkIdOfHolder(page);
  // the region has not allowed the portal: only the order is offered
  await expect(page.getByTestId('portal-not-allowed')).toContainText('Regionen tillåter inte att PUK-koden hämtas i SITHS eID-portalen');
  await expect(page.getByTestId('choice-retrieve-from-portal')).toHaveCount(0);
  await page.getByTestId('puk-order-reference').fill('PUK-2026-0117');
  await shot(page, 'lost-puk-order');
  await page.getByTestId('record-puk-order').click();
  await expect(page.getByTestId('puk-ordered')).toContainText('Ny PUK-kod är beställd (beställning PUK-2026-0117).');
  await expect(page.getByTestId('puk-next-steps')).toContainText('skickas i ett nytt kuvert med PIN-koder till din folkbokföringsadress');
  await shot(page, 'lost-puk-ordered');
});

test('where the region allows it, the PUK-kod read in SITHS eID-portalen is typed on the keypad and unlocks the PIN', async ({ page }) => {
  await logInWithPassword(page, host, '/organisation', adminSecret);
  await openAdministration(page, 'Organisation');
  await page.getByTestId('puk-portal-allowed').check();
  await expect(page.getByTestId('puk-portal-allowed')).toBeChecked();
  await shot(page, 'lost-puk-organisation-setting');

  await checkIdOfHolder(page);
  await page.getByTestId('choice-retrieve-from-portal').check();
  await shot(page, 'lost-puk-choices');
  await page.getByTestId('puk-retrieved').click();
  await expect(page.getByTestId('puk-retrieved-next')).toContainText('Skriv den sedan på knappsatsen för att låsa upp PIN-koden');
  await shot(page, 'lost-puk-retrieved');
  await page.getByTestId('puk-unlock').click();
  await expect(page.getByTestId('keypad')).toBeVisible();
  await typeOnKeypad(page, SCENARIO_PINS.puk);
  await typeOnKeypad(page, '394857');
  await typeOnKeypad(page, '394857');
  await expect(page.getByTestId('pin-message')).toHaveText('Klart — PIN-koden är upplåst och bytt.');
  await shot(page, 'lost-puk-unlocked');
});
