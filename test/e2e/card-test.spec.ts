import { expect, test, type Page } from '@playwright/test';
import { createScenario } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { READER_0, READER_1 } from '../support/pcscd';
import { writeTrustDir } from '../support/trust-dir';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

let host: RunningWebHost;

test.beforeAll(async () => {
  // the test PKI is made once per process, so every scenario here shares these roots
  const { trustedRoots } = await createScenario('healthy');
  host = await startWebHostProcess({ args: ['--trust', writeTrustDir(trustedRoots)] });
});
test.afterAll(async () => {
  await host.stop();
});

const panel = (page: Page, reader: string) => page.locator(`[data-test="card-test"][data-reader="${reader}"]`);

test('a healthy SITHS card is tested as soon as it goes in, and the result goes when it comes out', async ({ page }) => {
  await page.goto(host.url);
  const card = await insertCard((await createScenario('healthy')).applet, { reader: 0 });
  await expect(panel(page, READER_0).getByTestId('verdict')).toHaveText('Godkänt');
  await expect(panel(page, READER_0).locator('[data-test="certificate"]')).toHaveCount(2);
  await expect(panel(page, READER_0)).toContainText('Anna Testsson');
  await expect(panel(page, READER_0).locator('[data-test="pin"][data-role="auth"]')).toContainText('3 försök kvar');
  await expect(panel(page, READER_0).locator('[data-test="pin"][data-role="puk"]')).toContainText('10 försök kvar');
  // seed 004: a card that tests fine gets the checklist for the holder's own computer
  const checklist = panel(page, READER_0).getByTestId('computer-checklist');
  await expect(checklist).toContainText('Fungerar kortet ändå inte på din dator?');
  await expect(checklist).toContainText('drivrutin');
  await expect(checklist).toContainText('Net iD');
  await expect(checklist).toContainText('Läs in kortet på nytt');
  await page.screenshot({ path: 'test-results/screens/card-test-healthy.png', fullPage: true });
  await card.remove();
  await expect(panel(page, READER_0)).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Sätt i kortet' })).toBeVisible();
});

test('a blocked PIN and an expiring certificate are explained, each reader on its own', async ({ page }) => {
  await page.goto(host.url);
  const blocked = await insertCard((await createScenario('pin-blocked')).applet, { reader: 0 });
  const expiring = await insertCard((await createScenario('auth-expiring', 'piv')).applet, { reader: 1 });
  await expect(panel(page, READER_0).getByTestId('verdict')).toHaveText('Fel');
  // seed 004: a PIN is låst and låses upp with the PUK-kod
  await expect(panel(page, READER_0).getByTestId('findings')).toContainText('PIN för legitimering är låst — lås upp den med PUK-koden');
  await expect(panel(page, READER_0).locator('[data-test="pin"][data-role="auth"]')).toContainText('Låst');
  await expect(panel(page, READER_0).getByTestId('computer-checklist')).toHaveCount(0);
  await expect(panel(page, READER_1).getByTestId('verdict')).toHaveText('Varning');
  await expect(panel(page, READER_1).getByTestId('findings')).toContainText('40 dagar kvar');
  await expect(panel(page, READER_1).getByTestId('findings')).toContainText('Hämta nya certifikat');
  await expect(panel(page, READER_1).getByTestId('findings')).not.toContainText('beställ nytt kort');
  await page.screenshot({ path: 'test-results/screens/card-test-two-readers.png', fullPage: true });
  // the findings follow the chosen language instead of staying Swedish
  await page.getByRole('button', { name: 'English' }).click();
  await expect(panel(page, READER_0).getByTestId('findings')).toContainText('The authentication PIN is locked — unlock it with the PUK code.');
  await expect(panel(page, READER_1).getByTestId('findings')).toContainText('Get new certificates');
  await page.getByRole('button', { name: 'Svenska' }).click();
  await Promise.all([blocked.remove(), expiring.remove()]);
  await expect(page.locator('[data-test="card-test"]')).toHaveCount(0);
});

test('a card pulled out during the test shows no verdict, only what happened', async ({ page }) => {
  await page.goto(host.url);
  const scenario = await createScenario('healthy');
  let commands = 0;
  let card: Awaited<ReturnType<typeof insertCard>> | undefined;
  card = await insertCard(scenario.applet, {
    reader: 0,
    onCommand: () => {
      commands += 1;
      if (commands === 4) void card?.remove();
    },
  });
  await expect(page.getByTestId('interrupted')).toContainText('Kortet togs ut under testet');
  await expect(page.getByTestId('verdict')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/card-test-interrupted.png' });
});

test('a card that is not a SITHS card is shown as unknown with an error', async ({ page }) => {
  await page.goto(host.url);
  const card = await insertCard((await createScenario('not-siths')).applet, { reader: 1 });
  await expect(panel(page, READER_1).getByTestId('verdict')).toHaveText('Fel');
  await expect(panel(page, READER_1)).toContainText('Okänt kort');
  await card.remove();
});

test('staff import a revocation list at the kiosk and a revoked card is then refused', async ({ page }, testInfo) => {
  const scenario = await createScenario('revoked');
  const crlFile = testInfo.outputPath('issuing.crl');
  const junkFile = testInfo.outputPath('junk.crl');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(crlFile, scenario.crls[0]!);
  writeFileSync(junkFile, 'not a crl');

  await page.goto(host.url);
  await page.getByRole('link', { name: 'Spärrlistor' }).click();
  await page.getByTestId('crl-file').setInputFiles(junkFile);
  await expect(page.getByTestId('crl-message')).toHaveText('Filen är ingen spärrlista (CRL i PEM- eller DER-format).');
  await page.getByTestId('crl-file').setInputFiles(crlFile);
  await expect(page.getByTestId('crl-message')).toContainText('är importerad');
  await expect(page.getByTestId('crl-list')).toContainText('SITHS e-id Person HSA-id 3 CA v1');
  await page.screenshot({ path: 'test-results/screens/crl-imported.png' });

  await page.getByRole('link', { name: 'Kortstation', exact: true }).click();
  const card = await insertCard(scenario.applet, { reader: 0 });
  await expect(panel(page, READER_0).getByTestId('verdict')).toHaveText('Fel');
  await expect(panel(page, READER_0).getByTestId('findings')).toContainText('spärrat');
  await card.remove();
});
