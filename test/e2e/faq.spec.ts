// "Vanliga frågor" at the kiosk: the holder opens them from the start screen with no login; the organisation administrator's texts replace the defaults.
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { apiSession, firstRunByApi, logInWithPassword } from '../support/staff-session';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

const SCREENS = 'test-results/screens';
let host: RunningWebHost;

test.beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  host = await startWebHostProcess();
});
test.afterAll(async () => {
  await host.stop();
});

test('the holder reads the questions of the seeds without logging in, with the default contacts', async ({ page }) => {
  await page.goto(host.url);
  await page.getByTestId('open-faq').click();
  await expect(page.getByRole('heading', { name: 'Vanliga frågor' })).toBeVisible();
  // seed 004 and 000: validity, expiry e-mail, lost card, forgotten PIN, lost PUK-kod, name change, leaving, token lost and broken
  await expect(page.getByTestId('faq-question')).toHaveCount(9);
  await page.locator('[data-question="validity"] [data-test="faq-question"]').click();
  await expect(page.locator('[data-question="validity"] [data-test="faq-answer"]')).toContainText('fem år');
  await page.locator('[data-question="lostCard"] [data-test="faq-question"]').click();
  await expect(page.locator('[data-question="lostCard"] [data-test="faq-answer"]')).toContainText('Spärra kortet så snabbt som möjligt');
  await expect(page.locator('[data-question="lostCard"] [data-test="faq-answer"]')).toContainText('0776-730000');
  await expect(page.locator('[data-contact="raEmail"]')).toHaveText('RAfunktionen@skane.se');
  await page.screenshot({ path: `${SCREENS}/faq.png`, fullPage: true });
});

test("the organisation administrator's answer and contact are what the holder reads", async ({ page }) => {
  // a station of its own, set up by its administrator before any window opens
  const edited = await startWebHostProcess();
  try {
    const adminSecret = await firstRunByApi(await apiSession(edited), 'Akademiska, ingång 70');
    await logInWithPassword(page, edited, '/faq/edit', adminSecret);
    await page.getByTestId('faq-answer-lostPuk').fill('Kom till kortstationen med ID-handling, eller ring {servicedesk}.');
    await page.getByTestId('faq-contact-servicedesk').fill('Servicedesk 018-611 00 00');
    await page.getByTestId('faq-save').click();
    await expect(page.getByTestId('faq-edit-message')).toHaveText('Texterna är sparade.');
    await page.screenshot({ path: `${SCREENS}/faq-edit.png`, fullPage: true });
    await page.goto(`${edited.origin}/#/faq`);
    await page.locator('[data-question="lostPuk"] [data-test="faq-question"]').click();
    await expect(page.locator('[data-question="lostPuk"] [data-test="faq-answer"]')).toHaveText('Kom till kortstationen med ID-handling, eller ring Servicedesk 018-611 00 00.');
    await expect(page.locator('[data-contact="servicedesk"]')).toHaveText('Servicedesk 018-611 00 00');
  } finally {
    await edited.stop();
  }
});
