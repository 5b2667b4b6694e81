// WCAG 1.4.4 and 1.4.10, issue 17: the counter screens at 200 % zoom of the kiosk's 1280 × 800 screen lose nothing — no sideways scrolling, nothing cut off at the edge or inside its box.
import { expect, test, type Page } from '@playwright/test';
import { createScenario } from '../sim/scenarios';
import { insertCard, type InsertedCard } from '../sim/vpcd';
import { READER_1 } from '../support/pcscd';
import { logInWithPassword } from '../support/staff-session';
import { startStationWithReadyCard } from '../support/counter-station';
import type { RunningWebHost } from '../support/web-host-process';

// 200 % zoom halves the CSS viewport: 1280 × 800 becomes 640 × 400, drawn with two device pixels per CSS pixel
test.use({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
/** Sub-pixel rounding in layout, not a loss. */
const TOLERANCE_PX = 1;

let host: RunningWebHost;
let adminSecret = '';
let card: InsertedCard | null = null;

test.beforeAll(async () => {
  ({ host, adminSecret } = await startStationWithReadyCard());
});
test.afterAll(async () => {
  await card?.remove();
  await host.stop();
});

/** What the screen loses at this width: the page scrolling sideways, any box past the left or right edge, any control whose content is wider than its box. */
async function lossesOn(page: Page, screen: string): Promise<string[]> {
  const losses = await page.locator('body *').evaluateAll((nodes, tolerance) => {
    const found: string[] = [];
    const view = nodes[0]?.ownerDocument.defaultView;
    if (!view) return found;
    const describe = (node: (typeof nodes)[number]): string =>
      `${node.tagName.toLowerCase()}${node.getAttribute('data-test') ? `[${node.getAttribute('data-test')}]` : node.className ? `.${String(node.className).split(' ')[0]}` : ''} "${(node.textContent ?? '').trim().slice(0, 30)}"`;
    const page = view.document.documentElement;
    if (page.scrollWidth > page.clientWidth + tolerance) found.push(`the page scrolls sideways: ${page.scrollWidth} px wide in ${page.clientWidth}`);
    for (const node of nodes) {
      const style = view.getComputedStyle(node);
      if (style.visibility === 'hidden' || node.closest('.visually-hidden')) continue;
      const box = node.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.left < -tolerance || box.right > view.innerWidth + tolerance) found.push(`${describe(node)} reaches ${Math.round(box.left)}–${Math.round(box.right)} px`);
      const control = /^(BUTTON|A|SELECT|LABEL)$/.test(node.tagName) || style.overflowX === 'hidden' || style.overflowX === 'clip';
      if (control && node.scrollWidth > node.clientWidth + tolerance && node.clientWidth > 0) found.push(`${describe(node)} is cut: ${node.scrollWidth} px of content in ${node.clientWidth}`);
    }
    return found;
  }, TOLERANCE_PX);
  await page.screenshot({ path: `test-results/screens/zoom-200-${screen.replaceAll(' ', '-')}-${await page.locator('html').getAttribute('lang')}.png`, fullPage: true });
  return losses.map((loss) => `${screen}: ${loss}`);
}

/** The chosen language stays while the window moves between screens, but a login reloads the page. */
async function inLanguage(page: Page, language: 'sv' | 'en'): Promise<void> {
  if ((await page.locator('html').getAttribute('lang')) !== language) await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

async function openTile(page: Page, tile: string): Promise<void> {
  await page.getByTestId('nav-home').click();
  await page.getByTestId(tile).click();
}

for (const language of ['sv', 'en'] as const) {
  test(`the counter screens at 200 % lose nothing (${language})`, async ({ page }) => {
    card ??= await insertCard((await createScenario('healthy')).applet, { reader: 1 });
    const losses: string[] = [];

    await page.goto(host.url);
    await inLanguage(page, language);
    const cardTest = page.locator(`[data-test="card-test"][data-reader="${READER_1}"]`);
    await expect(cardTest.getByTestId('verdict')).toBeVisible({ timeout: 20_000 });
    losses.push(...(await lossesOn(page, 'card test')));

    await cardTest.getByTestId('pin-codes').click();
    await expect(page.locator('[data-test="pin-tries"][data-role="puk"]')).toBeVisible();
    losses.push(...(await lossesOn(page, 'PIN')));
    await page.locator('[data-test="choose-change"][data-pin="auth"]').click();
    await expect(page.getByTestId('keypad')).toBeVisible();
    losses.push(...(await lossesOn(page, 'PIN keypad')));

    await page.goto(`${host.url}#/login`);
    await expect(page.getByTestId('lock-view')).toBeVisible();
    await inLanguage(page, language);
    losses.push(...(await lossesOn(page, 'login')));
    await logInWithPassword(page, host, '/login', adminSecret);
    await expect(page.getByTestId('counter-tiles')).toBeVisible();
    await inLanguage(page, language);
    losses.push(...(await lossesOn(page, 'home')));

    await openTile(page, 'tile-handover');
    await page.getByTestId('person-query').fill('Testsson');
    await page.getByTestId('person-hit').first().click();
    await page.getByTestId('handover-reader').getByRole('button', { name: READER_1 }).click();
    await expect(page.getByTestId('verdict')).toBeVisible({ timeout: 20_000 });
    losses.push(...(await lossesOn(page, 'handover')));

    await openTile(page, 'tile-return');
    await expect(page.getByTestId('return-from-reader')).toBeVisible();
    losses.push(...(await lossesOn(page, 'return')));

    await openTile(page, 'tile-block');
    await expect(page.getByTestId('block-card-number')).toBeVisible();
    losses.push(...(await lossesOn(page, 'block')));

    await openTile(page, 'tile-tokens');
    await expect(page.locator('h1')).toBeVisible();
    losses.push(...(await lossesOn(page, 'tokens')));

    expect(losses).toEqual([]);
  });
}
