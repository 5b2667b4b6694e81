import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { createScenario, SCENARIO_PINS } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { READER_0 } from '../support/pcscd';
import { setUpStationAsAdmin, typeOnKeypad } from '../support/staff-session';
import { writeTrustDir } from '../support/trust-dir';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

let host: RunningWebHost;

test.beforeAll(async () => {
  host = await startWebHostProcess({ args: ['--trust', writeTrustDir((await createScenario('healthy')).trustedRoots)] });
});
test.afterAll(async () => {
  await host.stop();
});

test('"Testa inloggning" after the card test: a wrong PIN costs one try, the right one proves the key', async ({ page }) => {
  const card = await insertCard((await createScenario('healthy')).applet, { reader: 0 });
  await page.goto(host.url);
  await expect(page.getByTestId('verdict')).toBeVisible();
  await page.getByTestId('key-proof-auth').click();
  await typeOnKeypad(page, '111222');
  await expect(page.getByTestId('key-proof-result')).toHaveText('Fel PIN — 2 försök kvar.');
  await typeOnKeypad(page, SCENARIO_PINS.auth);
  await expect(page.getByTestId('key-proof-result')).toHaveText('Inloggningen fungerar — kortets nyckel hör till certifikatet.');
  await page.screenshot({ path: 'test-results/screens/key-proof-ok.png' });
  // the PIN as a value of its own, not digits inside the card number
  expect(await page.content()).not.toMatch(new RegExp(`(?<!\\d)${SCENARIO_PINS.auth}(?!\\d)`));
  await card.remove();
});

test('a card whose key is not its certificate\'s is told to order a new card', async ({ page }) => {
  const card = await insertCard((await createScenario('copied-certificate')).applet, { reader: 0 });
  await page.goto(host.url);
  await expect(page.getByTestId('verdict')).toBeVisible();
  await page.getByTestId('key-proof-auth').click();
  await typeOnKeypad(page, SCENARIO_PINS.auth);
  await expect(page.getByTestId('key-proof-result')).toHaveText('Kortets nyckel hör inte till certifikatet — beställ nytt kort.');
  await page.screenshot({ path: 'test-results/screens/key-proof-mismatch.png' });
  await card.remove();
});

test('"Spara spårning" gives logged-in staff the last test\'s APDUs as text', async ({ page }) => {
  const staffHost = await startWebHostProcess({ args: ['--trust', writeTrustDir((await createScenario('healthy')).trustedRoots)] });
  const card = await insertCard((await createScenario('healthy')).applet, { reader: 0 });
  try {
    await page.goto(staffHost.url);
    await expect(page.getByTestId('verdict')).toBeVisible();
    await expect(page.getByTestId('save-trace')).toHaveCount(0);
    await setUpStationAsAdmin(page, staffHost);
    await page.goto(staffHost.url);
    await expect(page.getByTestId('verdict')).toBeVisible();
    const download = page.waitForEvent('download');
    await page.getByTestId('save-trace').click();
    const text = readFileSync(await (await download).path(), 'utf8');
    expect(text).toContain(`Läsare: ${READER_0}`);
    expect(text).toMatch(/^#1 > 00 a4 /m);
    expect(text).toMatch(/SW 9000, \d+\.\d ms/);
    await page.screenshot({ path: 'test-results/screens/key-proof-trace.png' });
  } finally {
    await card.remove();
    await staffHost.stop();
  }
});
