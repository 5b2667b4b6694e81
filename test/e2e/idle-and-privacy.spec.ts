// Issue 17, item 4: the holder-facing screens never show the previous holder's data.
import { expect, test, type Page } from '@playwright/test';
import { createScenario, SCENARIO_HOLDER, SCENARIO_PINS, SCENARIO_SERIAL } from '../sim/scenarios';
import { insertCard, type InsertedCard } from '../sim/vpcd';
import { READER_0 } from '../support/pcscd';
import { apiSession, firstRunByApi, typeOnKeypad } from '../support/staff-session';
import { writeTrustDir } from '../support/trust-dir';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

let host: RunningWebHost;
let card: InsertedCard | null = null;

test.beforeAll(async () => {
  host = await startWebHostProcess({ args: ['--trust', writeTrustDir((await createScenario('healthy')).trustedRoots)] });
  await firstRunByApi(await apiSession(host), 'Akademiska, ingång 70');
});
test.afterEach(async () => {
  await card?.remove();
  card = null;
});
test.afterAll(async () => {
  await host.stop();
});

const insertCardScreen = (page: Page) => page.getByRole('heading', { name: 'Sätt i kortet' });

/** Nothing on the screen that tells whose card was in: name, HSA-id, card number, PIN tries. */
async function expectNothingOfTheHolder(page: Page): Promise<void> {
  const shown = await page.locator('body').innerText();
  for (const detail of [SCENARIO_HOLDER.name, SCENARIO_HOLDER.hsaId, SCENARIO_SERIAL, 'försök kvar']) expect(shown, detail).not.toContain(detail);
}

test('the card coming out after the card test leaves "Sätt i kortet" and nothing of its holder', async ({ page }) => {
  await page.goto(host.url);
  card = await insertCard((await createScenario('healthy')).applet, { reader: 0 });
  await expect(page.getByTestId('holder')).toHaveText(SCENARIO_HOLDER.name, { timeout: 20_000 });
  await card.remove();
  card = null;
  await expect(insertCardScreen(page)).toBeVisible();
  await expectNothingOfTheHolder(page);
});

test('the card coming out after a PIN change leaves "Sätt i kortet" and nothing of its holder', async ({ page }) => {
  card = await insertCard((await createScenario('healthy')).applet, { reader: 0 });
  await page.goto(host.url);
  await page.getByTestId('pin-codes').click();
  await page.locator('[data-test="choose-change"][data-pin="auth"]').click();
  await typeOnKeypad(page, SCENARIO_PINS.auth);
  await typeOnKeypad(page, '394857');
  await typeOnKeypad(page, '394857');
  await expect(page.getByTestId('pin-message')).toHaveText('Klart — PIN-koden är ändrad.');
  await card.remove();
  card = null;
  await expect(insertCardScreen(page)).toBeVisible();
  await expectNothingOfTheHolder(page);
});

test('a card pulled out during a PIN change takes its tries with it, and the next card gets the start screen', async ({ page }) => {
  card = await insertCard((await createScenario('healthy')).applet, { reader: 0 });
  await page.goto(`${host.url}#/pin/${encodeURIComponent(READER_0)}`);
  await page.locator('[data-test="choose-change"][data-pin="auth"]').click();
  await expect(page.getByTestId('keypad')).toBeVisible();
  await card.remove();
  card = null;
  await expect(page.getByTestId('pin-message')).toContainText('Kortet togs ut');
  await expectNothingOfTheHolder(page);

  // the next person's card: its own test on the start screen, not the PIN screen left by the one before
  card = await insertCard((await createScenario('not-siths')).applet, { reader: 0 });
  await expect(page.locator(`[data-test="card-test"][data-reader="${READER_0}"]`).getByTestId('verdict')).toBeVisible({ timeout: 20_000 });
  await expect(page).toHaveURL(/#\/$/);
});
