import { expect, test, type Page } from '@playwright/test';
import { createScenario, SCENARIO_HOLDER, SCENARIO_PINS } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { READER_0 } from '../support/pcscd';
import { apiSession, firstRunByApi, typeOnKeypad } from '../support/staff-session';
import { createPerson } from '../support/station-scene';
import { writeTrustDir } from '../support/trust-dir';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

let host: RunningWebHost;

test.beforeAll(async () => {
  host = await startWebHostProcess({ args: ['--trust', writeTrustDir((await createScenario('healthy')).trustedRoots)] });
});
test.afterAll(async () => {
  await host.stop();
});

async function openPinScreen(page: Page, station = host): Promise<void> {
  await page.goto(station.url);
  await expect(page.getByTestId('verdict')).toBeVisible();
  await page.getByTestId('pin-codes').click();
  await expect(page.locator('[data-test="pin-tries"][data-role="puk"]')).toBeVisible();
}

test('the holder changes the identification PIN on the keypad, after one wrong try', async ({ page }) => {
  const card = await insertCard((await createScenario('healthy')).applet, { reader: 0 });
  await openPinScreen(page);
  await page.screenshot({ path: 'test-results/screens/pin-choose.png' });
  await page.locator('[data-test="choose-change"][data-pin="auth"]').click();
  await typeOnKeypad(page, '111222');
  await typeOnKeypad(page, '394857');
  await typeOnKeypad(page, '394857');
  await expect(page.getByTestId('pin-message')).toHaveText('Fel PIN — 2 försök kvar.');
  await page.screenshot({ path: 'test-results/screens/pin-wrong.png' });

  await typeOnKeypad(page, SCENARIO_PINS.auth);
  await typeOnKeypad(page, '123456');
  await expect(page.getByTestId('pin-message')).toContainText('siffror i följd');
  await page.screenshot({ path: 'test-results/screens/pin-policy.png' });
  await typeOnKeypad(page, '394857');
  await typeOnKeypad(page, '394875');
  await expect(page.getByTestId('pin-message')).toContainText('stämmer inte överens');
  await typeOnKeypad(page, '394857');
  await page.keyboard.type('394857');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('pin-message')).toHaveText('Klart — PIN-koden är ändrad.');
  await expect(page.locator('[data-test="pin-tries"][data-role="auth"]')).toContainText('3 försök kvar');
  await page.screenshot({ path: 'test-results/screens/pin-changed.png' });
  await card.remove();
});

test('a blocked PIN is unblocked with the PUK, with the PUK tries shown before entry', async ({ page }) => {
  const card = await insertCard((await createScenario('pin-blocked')).applet, { reader: 0 });
  await openPinScreen(page);
  await expect(page.locator('[data-test="pin-tries"][data-role="auth"]')).toContainText('Låst');
  await expect(page.locator('[data-test="pin-tries"][data-role="puk"]')).toContainText('10 försök kvar');
  await page.locator('[data-test="choose-unblock"][data-pin="auth"]').click();
  await typeOnKeypad(page, '87654321');
  await typeOnKeypad(page, '394857');
  await typeOnKeypad(page, '394857');
  await expect(page.getByTestId('pin-message')).toHaveText('Fel PUK-kod — 9 försök kvar.');
  await typeOnKeypad(page, SCENARIO_PINS.puk);
  await typeOnKeypad(page, '394857');
  await typeOnKeypad(page, '394857');
  await expect(page.getByTestId('pin-message')).toHaveText('Klart — PIN-koden är upplåst och bytt.');
  await expect(page.locator('[data-test="pin-tries"][data-role="auth"]')).toContainText('3 försök kvar');
  await page.screenshot({ path: 'test-results/screens/pin-unblocked.png' });
  await card.remove();
});

test('the entry is wiped and the attempt ends when the card is pulled out', async ({ page }) => {
  const card = await insertCard((await createScenario('healthy')).applet, { reader: 0 });
  await openPinScreen(page);
  await page.locator('[data-test="choose-change"][data-pin="sign"]').click();
  await page.keyboard.type('654');
  await expect(page.getByTestId('keypad-display')).toContainText('•••');
  await card.remove();
  await expect(page.getByTestId('pin-message')).toContainText('Kortet togs ut');
  await expect(page.getByTestId('keypad')).toHaveCount(0);
  expect(await page.content()).not.toContain('654');
});

test('a PUK with one try left is warned about before entry', async ({ page }) => {
  const scenario = await createScenario('pin-blocked');
  scenario.model!.restore({ pins: { ...scenario.model!.toJSON().pins, puk: { ...scenario.model!.toJSON().pins.puk, triesLeft: 1 } } });
  const card = await insertCard(scenario.applet, { reader: 0 });
  await openPinScreen(page);
  await page.locator('[data-test="choose-unblock"][data-pin="auth"]').click();
  await expect(page.getByTestId('last-try')).toContainText('Sista försöket med PUK-koden');
  await page.screenshot({ path: 'test-results/screens/pin-puk-last-try.png' });
  await card.remove();
  await expect(page.locator(`[data-reader="${READER_0}"][data-card="present"]`)).toHaveCount(0);
});

test("a PIN made of the holder's birth date is advised against, and changed once the holder taps \"Använd ändå\"", async ({ page }) => {
  // a station of its own that knows the card's holder: personnummer 19850709-9805, so 850709 is her birth date
  const { trustedRoots, applet } = await createScenario('healthy');
  const station = await startWebHostProcess({ args: ['--trust', writeTrustDir(trustedRoots)] });
  const api = await apiSession(station);
  await firstRunByApi(api, 'Akademiska, ingång 70');
  const [firstName, surname] = SCENARIO_HOLDER.name.split(' ');
  await createPerson(api, { firstName: firstName!, surname: surname!, personnummer: '198507099805', hsaId: SCENARIO_HOLDER.hsaId, employmentType: 'region' });
  const card = await insertCard(applet, { reader: 0 });
  try {
    await openPinScreen(page, station);
    await page.locator('[data-test="choose-change"][data-pin="auth"]').click();
    await typeOnKeypad(page, SCENARIO_PINS.auth);
    await typeOnKeypad(page, '850709');
    await typeOnKeypad(page, '850709');
    await expect(page.getByTestId('pin-message')).toContainText('välj hellre en annan');
    await expect(page.getByTestId('pin-message')).not.toContainText('850709');
    await page.screenshot({ path: 'test-results/screens/pin-holder-advice.png' });
    await page.getByTestId('pin-use-anyway').click();
    await expect(page.getByTestId('pin-message')).toHaveText('Klart — PIN-koden är ändrad.');
    await expect(page.locator('[data-test="pin-tries"][data-role="auth"]')).toContainText('3 försök kvar');
  } finally {
    await card.remove();
    await station.stop();
  }
});
