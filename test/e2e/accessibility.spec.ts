// WCAG 2.1 A/AA checked by axe on the renderer's screens (router.ts), in Swedish and English, before and after the organisation administrator logs in.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { READER_0 } from '../support/pcscd';
import { createMunicipalityUnits, createPerson } from '../support/station-scene';
import { apiLogin, apiSession, firstRunByApi, logInWithPassword } from '../support/staff-session';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LANGUAGES = ['sv', 'en'] as const;

const SCREENS_WITHOUT_LOGIN = ['/', '/crl', '/faq', `/pin/${encodeURIComponent(READER_0)}`];
const STAFF_SCREENS = [
  '/',
  '/faq/edit',
  '/audit',
  '/dashboard',
  '/people',
  '/people/import',
  '/people/new',
  '/organisation',
  '/staff',
  '/tokens',
  '/tokens/issue',
  '/tokens/check',
  '/tokens/service',
  '/cards/handover',
  '/cards/return',
  '/cards/block',
  '/cards/worklist',
  '/reports',
  '/invoices',
  '/outbox',
];

/** Each violation as "rule: target" so a failure names what to fix. */
async function violationsOn(page: Page, host: RunningWebHost, path: string, language: (typeof LANGUAGES)[number]): Promise<string[]> {
  await page.goto(`${host.origin}/#${path}`);
  await expect(page.locator('main.content')).not.toBeEmpty();
  // the chosen language stays while the window moves between screens
  if ((await page.locator('html').getAttribute('lang')) !== language) await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  return violations.flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
}

test.describe('not logged in', () => {
  let host: RunningWebHost;
  test.beforeAll(async () => {
    host = await startWebHostProcess();
    await firstRunByApi(await apiSession(host), 'Akademiska, ingång 70');
  });
  test.afterAll(async () => {
    await host.stop();
  });

  test('the first run screen of a new station', async ({ page }) => {
    const newStation = await startWebHostProcess();
    try {
      await page.goto(newStation.url);
      for (const language of LANGUAGES) expect(await violationsOn(page, newStation, '/first-run', language)).toEqual([]);
    } finally {
      await newStation.stop();
    }
  });

  test('the page is Swedish and not to be translated, and has no context menu', async ({ page }) => {
    await page.goto(host.url);
    await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
    await expect(page.locator('html')).toHaveAttribute('translate', 'no');
    await expect(page.locator('meta[name="google"]')).toHaveAttribute('content', 'notranslate');
    // dispatchEvent answers false when a listener prevented the browser's menu; a string, as the e2e tsconfig has no DOM types
    const menuAllowed = await page.evaluate("document.body.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }))");
    expect(menuAllowed).toBe(false);
  });

  test('the holder-facing screens and the login screen', async ({ page }) => {
    await page.goto(host.url);
    const found: Record<string, string[]> = {};
    for (const path of [...SCREENS_WITHOUT_LOGIN, '/login'])
      for (const language of LANGUAGES) {
        const violations = await violationsOn(page, host, path, language);
        if (violations.length > 0) found[`${path} ${language}`] = violations;
      }
    expect(found).toEqual({});
  });
});

test('every staff screen for the organisation administrator', async ({ page }) => {
  // one login for forty axe runs: a login per screen would spend the administrator's one-time codes ahead of the clock
  test.setTimeout((STAFF_SCREENS.length + 3) * LANGUAGES.length * 6_000);
  const host = await startWebHostProcess();
  try {
    const adminSecret = await firstRunByApi(await apiSession(host), 'Akademiska, ingång 70');
    const api = await apiLogin(host, adminSecret);
    const [unitId] = await createMunicipalityUnits(api, [{ name: 'Hemtjänst Gränby', reference: 'HT-01' }]);
    const personId = await createPerson(api, { firstName: 'Sara', surname: 'Lind', personnummer: '198507099805', unitIds: [unitId!] });
    await logInWithPassword(page, host, '/dashboard', adminSecret);
    const found: Record<string, string[]> = {};
    for (const path of [...STAFF_SCREENS, `/people/${personId}`, `/people/${personId}/edit`, `/people/${personId}/cards`])
      for (const language of LANGUAGES) {
        const violations = await violationsOn(page, host, path, language);
        if (violations.length > 0) found[`${path} ${language}`] = violations;
      }
    expect(found).toEqual({});
  } finally {
    await host.stop();
  }
});
