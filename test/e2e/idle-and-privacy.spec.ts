// Issue 17, item 4: the holder-facing screens never show the previous holder's data, and the start screen shows the station's screen saver text when idle.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createScenario, SCENARIO_HOLDER, SCENARIO_PINS, SCENARIO_SERIAL } from '../sim/scenarios';
import { insertCard, type InsertedCard } from '../sim/vpcd';
import { READER_0 } from '../support/pcscd';
import { openAdministration } from '../support/counter-nav';
import { apiLogin, apiSession, firstRunByApi, logInWithPassword, typeOnKeypad } from '../support/staff-session';
import { writeTrustDir } from '../support/trust-dir';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

let host: RunningWebHost;
let adminSecret = '';
let card: InsertedCard | null = null;

test.beforeAll(async () => {
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

/** Past the start screen's minute of quiet before the screen saver. */
const IDLE = 61_000;
const SWEDISH_TEXT = 'Kortstationen har öppet vardagar 8–16.\nFrågor om kortet: Servicedesk 018-611 00 00';
const ENGLISH_TEXT = 'The card station is open on weekdays 8–16.';

test('an administrator words the screen saver, which the idle start screen shows in its language until someone touches it or a card goes in', async ({ page, browser }) => {
  await logInWithPassword(page, host, '/home', adminSecret);
  await openAdministration(page, 'Skärmsläckare');
  await page.getByTestId('screen-saver-sv').fill(SWEDISH_TEXT);
  await page.getByTestId('screen-saver-en').fill(ENGLISH_TEXT);
  await page.getByTestId('screen-saver-save').click();
  await expect(page.getByTestId('screen-saver-message')).toHaveText('Skärmsläckaren är sparad.');

  // the kiosk's own window, on a clock the test moves
  const kioskWindow = await browser.newContext();
  const kiosk = await kioskWindow.newPage();
  await kiosk.clock.install();
  await kiosk.goto(host.url);
  const saver = kiosk.getByTestId('screen-saver');
  await expect(insertCardScreen(kiosk)).toBeVisible();
  await kiosk.clock.fastForward(IDLE / 2);
  await expect(saver).toHaveCount(0);
  await kiosk.clock.fastForward(IDLE / 2);
  await expect(kiosk.getByTestId('screen-saver-text')).toHaveText(SWEDISH_TEXT.replace('\n', ' '));
  await expect(insertCardScreen(kiosk)).toBeVisible();
  await kiosk.screenshot({ path: 'test-results/screens/screen-saver.png' });
  const { violations } = await new AxeBuilder({ page: kiosk }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.map((violation) => violation.id)).toEqual([]);

  // a touch wakes the start screen; in English the English text follows
  await kiosk.getByTestId('language').click();
  await expect(saver).toHaveCount(0);
  await kiosk.clock.fastForward(IDLE);
  await expect(kiosk.getByTestId('screen-saver-text')).toHaveText(ENGLISH_TEXT);
  await kiosk.keyboard.press('Tab');
  await expect(saver).toHaveCount(0);
  await kiosk.getByTestId('language').click();

  // a card going in ends it too, and the holder's test shows; once the card is out the minute starts again
  await kiosk.clock.fastForward(IDLE);
  await expect(saver).toBeVisible();
  card = await insertCard((await createScenario('healthy')).applet, { reader: 0 });
  await expect(kiosk.getByTestId('verdict')).toHaveText('Godkänt', { timeout: 20_000 });
  await expect(saver).toHaveCount(0);
  await kiosk.clock.fastForward(IDLE);
  await expect(saver).toHaveCount(0);
  await card.remove();
  card = null;
  await expect(insertCardScreen(kiosk)).toBeVisible();
  await expect(saver).toHaveCount(0);
  await kiosk.clock.fastForward(IDLE);
  await expect(saver).toBeVisible();

  // blank texts: no screen saver, only "Sätt i kortet"
  await (await apiLogin(host, adminSecret))('screenSaver.save', { sv: ' ', en: '' });
  await kiosk.keyboard.press('Tab');
  await kiosk.clock.fastForward(IDLE);
  await expect(insertCardScreen(kiosk)).toBeVisible();
  await expect(saver).toHaveCount(0);
  await kioskWindow.close();
});
