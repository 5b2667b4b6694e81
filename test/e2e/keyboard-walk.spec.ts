// WCAG 2.1.1 and issue 17: the card test, the PIN change and the handover done with the keyboard alone — Tab, Shift+Tab, Enter and Space to move and press, typing only into fields.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createScenario, SCENARIO_PINS, SCENARIO_SERIAL } from '../sim/scenarios';
import { insertCard, type InsertedCard } from '../sim/vpcd';
import { READER_0, READER_1 } from '../support/pcscd';
import { ADMIN_PASSWORD, staffCode } from '../support/staff-session';
import { startStationWithReadyCard } from '../support/counter-station';
import type { RunningWebHost } from '../support/web-host-process';

/** More presses than any of these screens has stops: a target further away counts as unreachable. */
const MOST_TAB_STOPS = 60;

let host: RunningWebHost;
let adminSecret = '';
let card: InsertedCard | null = null;

test.beforeAll(async () => {
  ({ host, adminSecret } = await startStationWithReadyCard());
});
test.afterEach(async () => {
  await card?.remove();
  card = null;
});
test.afterAll(async () => {
  await host.stop();
});

const isFocused = (target: Locator): Promise<boolean> => target.evaluate((node) => node === node.ownerDocument.activeElement).catch(() => false);

/** Presses Tab (or Shift+Tab) until the target has the focus; fails naming the target when it never gets it. */
async function tabTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  await expect(target).toBeVisible();
  for (let press = 0; press < MOST_TAB_STOPS; press += 1) {
    if (await isFocused(target)) return;
    await page.keyboard.press(key);
  }
  expect(await isFocused(target), `${target} is not reachable with ${key}`).toBe(true);
}

/** Types an ISO date into the focused date field in the order the browser's locale lays its parts out (Debian's Chromium has en-US only). */
async function typeDate(page: Page, isoDate: string): Promise<void> {
  const [year, month, day] = isoDate.split('-') as [string, string, string];
  const order = await page.evaluate("new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(2031, 4, 31)).map((part) => part.type)");
  const values: Record<string, string> = { year, month, day };
  await page.keyboard.type((order as string[]).filter((type) => type in values).map((type) => values[type]).join(''));
}

test('card test and PIN change: from the verdict to a changed PIN and back, keyboard only', async ({ page }) => {
  card = await insertCard((await createScenario('healthy')).applet, { reader: 0 });
  await page.goto(host.url);
  const cardTest = page.locator(`[data-test="card-test"][data-reader="${READER_0}"]`);
  await expect(cardTest.getByTestId('verdict')).toHaveText('Godkänt', { timeout: 20_000 });

  await tabTo(page, cardTest.getByTestId('pin-codes'));
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-test="pin-tries"][data-role="puk"]')).toBeVisible();

  await tabTo(page, page.locator('[data-test="choose-change"][data-pin="auth"]'));
  await page.keyboard.press('Enter');
  const keypad = page.getByTestId('keypad');
  await expect(keypad).toBeVisible();
  await page.keyboard.type(SCENARIO_PINS.auth);
  await page.keyboard.press('Enter');

  // the keypad's own keys work from the keyboard too: Space and Enter on a focused key press that key, not OK
  await expect(page.getByTestId('keypad').getByText('Välj en ny PIN-kod')).toBeVisible();
  await tabTo(page, keypad.getByRole('button', { name: '1', exact: true }));
  await page.keyboard.press('Space');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('keypad-display')).toHaveText(/^••V/);
  await tabTo(page, keypad.getByRole('button', { name: 'Radera' }));
  await page.keyboard.press('Space');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('keypad-display')).not.toContainText('•');
  await page.keyboard.type('394857');
  await tabTo(page, page.getByTestId('keypad-ok'));
  await page.keyboard.press('Enter');

  await page.keyboard.type('394857');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('pin-message')).toHaveText('Klart — PIN-koden är ändrad.');

  // back to the card test, from below with Shift+Tab
  await tabTo(page, page.getByTestId('pin-back'), 'Shift+Tab');
  await page.keyboard.press('Space');
  await expect(cardTest.getByTestId('verdict')).toBeVisible();
});

test('handover: staff log in, find the holder, check the ID document, choose the reader and hand over, keyboard only', async ({ page }) => {
  await page.goto(`${host.url}#/login`);
  await expect(page.getByTestId('lock-view')).toBeVisible({ timeout: 15_000 });
  await tabTo(page, page.getByTestId('login-password'));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByTestId('username'));
  await page.keyboard.type('asa.admin');
  await page.keyboard.press('Tab');
  await page.keyboard.type(ADMIN_PASSWORD);
  await page.keyboard.press('Tab');
  await page.keyboard.type(staffCode(host, adminSecret));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('staff-indicator')).toContainText('Åsa Admin');

  await tabTo(page, page.getByTestId('tile-handover'));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByTestId('person-query'));
  await page.keyboard.type('Testsson');
  await tabTo(page, page.getByTestId('person-hit').first());
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('chosen-person')).toContainText('Anna Testsson');

  // a passport is the document type already chosen
  await tabTo(page, page.getByTestId('document-last-four'));
  await page.keyboard.type('12ab');
  await tabTo(page, page.getByTestId('document-expiry'));
  await typeDate(page, '2031-05-31');
  await expect(page.getByTestId('document-expiry')).toHaveValue('2031-05-31');
  await tabTo(page, page.getByTestId('photo-matches'));
  await page.keyboard.press('Space');
  await tabTo(page, page.getByTestId('pin-letter'));
  await page.keyboard.press('Space');
  await expect(page.getByTestId('photo-matches')).toBeChecked();
  await expect(page.getByTestId('pin-letter')).toBeChecked();

  card = await insertCard((await createScenario('healthy')).applet, { reader: 1 });
  const readerButton = page.getByTestId('handover-reader').getByRole('button', { name: READER_1 });
  await tabTo(page, readerButton);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: 20_000 });
  await tabTo(page, page.getByTestId('hand-over'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('receipt')).toContainText('Kvittens — utlämnat eTjänstekort (SITHS-kort)');
  await expect(page.getByTestId('receipt-card-number')).toHaveText(SCENARIO_SERIAL);
});
