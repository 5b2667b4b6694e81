import { expect, test, type Page } from '@playwright/test';
import { createScenario } from '../sim/scenarios';
import { insertCard, type InsertedCard } from '../sim/vpcd';
import { READER_1 } from '../support/pcscd';
import { logInWithPassword } from '../support/staff-session';
import { startStationWithReadyCard } from '../support/counter-station';
import type { RunningWebHost } from '../support/web-host-process';

// WCAG 2.5.5 and issue 17: every touch target on the counter screens is at least 44 × 44 CSS px
const MINIMUM_TARGET_PX = 44;
const INTERACTIVE = 'a[href], button, input:not([type="hidden"]), select, textarea, [role="button"], [tabindex]:not([tabindex="-1"])';

let host: RunningWebHost;
let adminSecret = '';
let card: InsertedCard | null = null;

test.beforeAll(async () => {
  ({ host, adminSecret } = await startStationWithReadyCard({ email: 'anna@example.se' }));
});
test.afterAll(async () => {
  await card?.remove();
  await host.stop();
});

/** Every visible interactive element on the page smaller than the minimum in either dimension, described for the failure message. */
async function undersizedTargets(page: Page, screen: string): Promise<string[]> {
  const found: string[] = [];
  for (const element of await page.locator(INTERACTIVE).all()) {
    if (!(await element.isVisible())) continue;
    const box = await element.boundingBox();
    if (!box) continue;
    if (box.width < MINIMUM_TARGET_PX || box.height < MINIMUM_TARGET_PX) {
      const described = await element.evaluate((node) => `${node.tagName.toLowerCase()}${node.getAttribute('type') ? `[type=${node.getAttribute('type')}]` : ''} "${(node.textContent ?? '').trim().slice(0, 30) || node.getAttribute('data-test') || ''}"`);
      found.push(`${screen}: ${described} ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return found;
}

async function openTile(page: Page, tile: string): Promise<void> {
  await page.getByTestId('nav-home').click();
  await page.getByTestId(tile).click();
}

for (const language of ['sv', 'en'] as const) {
  test(`every interactive element on the counter screens is at least 44 × 44 CSS px (${language})`, async ({ page }) => {
    card ??= await insertCard((await createScenario('healthy')).applet, { reader: 1 });
    await logInWithPassword(page, host, '/login', adminSecret);
    // English words differ in length, and the language stays while the window moves between screens
    if (language === 'en') await page.getByTestId('language').click();
    await expect(page.locator('html')).toHaveAttribute('lang', language);
    const undersized: string[] = [];

    await expect(page.getByTestId('counter-tiles')).toBeVisible();
    undersized.push(...(await undersizedTargets(page, 'home')));

    await page.getByTestId('tile-card-test').click();
    await expect(page.locator(`[data-test="card-test"][data-reader="${READER_1}"]`).getByTestId('verdict')).toBeVisible({ timeout: 20_000 });
    undersized.push(...(await undersizedTargets(page, 'card test')));

    // with one card in one reader, the home's PIN tile opens that reader's PIN screen
    await page.getByTestId('nav-home').click();
    await page.getByTestId('tile-pins').click();
    await expect(page.locator('[data-test="pin-tries"][data-role="puk"]')).toBeVisible();
    undersized.push(...(await undersizedTargets(page, 'PIN')));
    await page.locator('[data-test="choose-change"][data-pin="auth"]').click();
    await expect(page.getByTestId('keypad')).toBeVisible();
    undersized.push(...(await undersizedTargets(page, 'PIN keypad')));

    await openTile(page, 'tile-handover');
    await page.getByTestId('person-query').fill('Testsson');
    await page.getByTestId('person-hit').first().click();
    await expect(page.getByTestId('photo-matches')).toBeVisible();
    await expect(page.getByTestId('handover-reader').getByRole('button', { name: READER_1 })).toBeVisible();
    undersized.push(...(await undersizedTargets(page, 'handover')));

    await openTile(page, 'tile-return');
    await expect(page.getByTestId('return-from-reader')).toBeVisible();
    undersized.push(...(await undersizedTargets(page, 'return')));

    await openTile(page, 'tile-block');
    await expect(page.getByTestId('block-card-number')).toBeVisible();
    undersized.push(...(await undersizedTargets(page, 'block')));

    await openTile(page, 'tile-lost-puk');
    await expect(page.getByTestId('holder-matches')).toBeVisible();
    await expect(page.getByTestId('puk-reader').getByRole('button', { name: READER_1 })).toBeVisible();
    undersized.push(...(await undersizedTargets(page, 'lost-puk')));

    await openTile(page, 'tile-tokens');
    await expect(page.locator('h1')).toBeVisible();
    undersized.push(...(await undersizedTargets(page, 'tokens')));

    // the token linking's own steps: a kind the employment type does not call for (Anna is region staff), then the ID-handling check
    await page.getByTestId('tokens-issue-link').click();
    await page.getByTestId('token-person-search').fill('Testsson');
    await page.getByTestId('token-person-hit').first().click();
    await page.getByTestId('token-kind-kommunal').click();
    await expect(page.getByTestId('token-override-reason')).toBeVisible();
    undersized.push(...(await undersizedTargets(page, 'token kind override')));
    await page.getByTestId('token-override-reason').fill('Vikariat i hemtjänsten');
    await page.getByTestId('token-override-confirm').click();
    await expect(page.getByTestId('document-last-four')).toBeVisible();
    undersized.push(...(await undersizedTargets(page, 'token ID check')));

    await expect(page.locator('html')).toHaveAttribute('lang', language);
    expect(undersized).toEqual([]);
  });
}
