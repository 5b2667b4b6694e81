// WCAG 2.1 A/AA checked by axe on the renderer's screens (router.ts), in Swedish and English, before and after the organisation administrator logs in.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createScenario, SCENARIO_HOLDER, SCENARIO_SERIAL, type ScenarioName } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { READER_0, READER_1 } from '../support/pcscd';
import { createMunicipalityUnits, createPerson, readyCardOrder } from '../support/station-scene';
import { apiLogin, apiSession, firstRunByApi, logInWithPassword, typeOnKeypad } from '../support/staff-session';
import { writeTrustDir } from '../support/trust-dir';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LANGUAGES = ['sv', 'en'] as const;

// an invitation link that is no longer valid: the page says so
const SCREENS_WITHOUT_LOGIN = ['/', '/crl', '/faq', `/pin/${encodeURIComponent(READER_0)}`, '/forgot-password', `/invitation/${'A'.repeat(43)}`];
const STAFF_SCREENS = [
  '/',
  '/faq/edit',
  '/screen-saver',
  '/retention',
  '/audit',
  '/dashboard',
  '/people',
  '/people/import',
  '/people/new',
  '/organisation',
  '/staff',
  '/tokens',
  '/tokens/issue',
  '/tokens/terms',
  '/tokens/check',
  '/tokens/service',
  '/cards/handover',
  '/cards/return',
  '/cards/block',
  '/cards/lost-puk',
  '/cards/worklist',
  '/cards/block-requests',
  '/reports',
  '/invoices',
  '/outbox',
  '/change-password',
];

/** Each violation on the screen as it stands, in the given language, as "rule: target" so a failure names what to fix. */
async function violationsHere(page: Page, language: (typeof LANGUAGES)[number]): Promise<string[]> {
  // the chosen language stays while the window moves between screens
  if ((await page.locator('html').getAttribute('lang')) !== language) await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  return violations.flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
}

async function violationsOn(page: Page, host: RunningWebHost, path: string, language: (typeof LANGUAGES)[number]): Promise<string[]> {
  await page.goto(`${host.origin}/#${path}`);
  await expect(page.locator('main.content')).not.toBeEmpty();
  return violationsHere(page, language);
}

/** The screen as it stands in both languages; violations keyed by the state's name and language. */
async function checkBothLanguages(page: Page, state: string, found: Record<string, string[]>): Promise<void> {
  for (const language of LANGUAGES) {
    const violations = await violationsHere(page, language);
    if (violations.length > 0) found[`${state} ${language}`] = violations;
  }
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
    for (const path of [...STAFF_SCREENS, `/people/${personId}`, `/people/${personId}/edit`, `/people/${personId}/cards`, `/people/${personId}/extract`])
      for (const language of LANGUAGES) {
        const violations = await violationsOn(page, host, path, language);
        if (violations.length > 0) found[`${path} ${language}`] = violations;
      }
    expect(found).toEqual({});
  } finally {
    await host.stop();
  }
});

test.describe('with a card in the reader', () => {
  let host: RunningWebHost;
  let adminSecret = '';
  test.beforeAll(async () => {
    host = await startWebHostProcess({ args: ['--trust', writeTrustDir((await createScenario('healthy')).trustedRoots)] });
    const api = await apiSession(host);
    adminSecret = await firstRunByApi(api, 'Akademiska, ingång 70');
    const [firstName, surname] = SCENARIO_HOLDER.name.split(' ');
    const person = await createPerson(api, { firstName: firstName!, surname: surname!, personnummer: '198507099805', hsaId: SCENARIO_HOLDER.hsaId, employmentType: 'region' });
    await readyCardOrder(api, person, SCENARIO_SERIAL);
  });
  test.afterAll(async () => {
    await host.stop();
  });

  // one card of each verdict, and one that is no SITHS card
  const VERDICT_CARDS: Array<[ScenarioName, string]> = [['healthy', 'Godkänt'], ['auth-expiring', 'Varning'], ['sign-expired', 'Fel'], ['not-siths', 'Fel']];

  test('the card test verdicts', async ({ page }) => {
    const found: Record<string, string[]> = {};
    for (const [scenario, verdict] of VERDICT_CARDS) {
      const card = await insertCard((await createScenario(scenario)).applet, { reader: 0 });
      try {
        await page.goto(host.url);
        await expect(page.locator(`[data-test="card-test"][data-reader="${READER_0}"]`).getByTestId('verdict')).toHaveText(verdict, { timeout: 20_000 });
        await checkBothLanguages(page, scenario, found);
      } finally {
        await card.remove();
      }
    }
    expect(found).toEqual({});
  });

  test('the PIN screen: tries, keypad, a wrong PIN and the last PUK try', async ({ page }) => {
    const found: Record<string, string[]> = {};
    const healthy = await insertCard((await createScenario('healthy')).applet, { reader: 0 });
    try {
      // the card's test first, so its insertion is old news when the PIN screen opens (a card coming in there starts afresh)
      await page.goto(host.url);
      await expect(page.getByTestId('verdict')).toBeVisible();
      await page.goto(`${host.url}#/pin/${encodeURIComponent(READER_0)}`);
      await expect(page.locator('[data-test="pin-tries"][data-role="puk"]')).toBeVisible();
      await checkBothLanguages(page, 'PIN tries', found);
      await page.locator('[data-test="choose-change"][data-pin="auth"]').click();
      await expect(page.getByTestId('keypad')).toBeVisible();
      await checkBothLanguages(page, 'PIN keypad', found);
      await typeOnKeypad(page, '111222');
      await typeOnKeypad(page, '394857');
      await typeOnKeypad(page, '394857');
      await expect(page.getByTestId('pin-message')).toBeVisible();
      await checkBothLanguages(page, 'wrong PIN', found);
    } finally {
      await healthy.remove();
    }
    const blocked = await createScenario('pin-blocked');
    blocked.model!.restore({ pins: { ...blocked.model!.toJSON().pins, puk: { ...blocked.model!.toJSON().pins.puk, triesLeft: 1 } } });
    const lastTry = await insertCard(blocked.applet, { reader: 0 });
    try {
      await page.goto(`${host.url}#/pin/${encodeURIComponent(READER_0)}`);
      await page.locator('[data-test="choose-unblock"][data-pin="auth"]').click();
      await expect(page.getByTestId('last-try')).toBeVisible();
      await checkBothLanguages(page, 'last PUK try', found);
    } finally {
      await lastTry.remove();
    }
    expect(found).toEqual({});
  });

  test('the handover with the card tested, and its receipt', async ({ page }) => {
    const found: Record<string, string[]> = {};
    const card = await insertCard((await createScenario('healthy')).applet, { reader: 1 });
    try {
      await logInWithPassword(page, host, '/cards/handover', adminSecret);
      await page.getByTestId('person-query').fill('Testsson');
      await page.getByTestId('person-hit').first().click();
      await page.getByTestId('document-last-four').fill('12ab');
      await page.getByTestId('document-expiry').fill('2031-05-31');
      await page.getByTestId('photo-matches').check();
      await page.getByTestId('pin-letter').check();
      await page.getByTestId('handover-reader').getByRole('button', { name: READER_1 }).click();
      await expect(page.getByTestId('verdict')).toBeVisible({ timeout: 20_000 });
      await checkBothLanguages(page, 'handover', found);
      await page.getByTestId('hand-over').click();
      await expect(page.getByTestId('receipt')).toBeVisible();
      await checkBothLanguages(page, 'handover receipt', found);
    } finally {
      await card.remove();
    }
    expect(found).toEqual({});
  });

  test('the lost PUK-kod route after the ID-handling check and its order, and an open block request', async ({ page }) => {
    const found: Record<string, string[]> = {};
    const card = await insertCard((await createScenario('pin-blocked')).applet, { reader: 1 });
    try {
      await logInWithPassword(page, host, '/cards/lost-puk', adminSecret);
      await page.getByTestId('puk-reader').getByRole('button', { name: READER_1 }).click();
      await page.getByTestId('document-last-four').fill('12ab');
      await page.getByTestId('document-expiry').fill('2031-05-31');
      await page.getByTestId('holder-matches').check();
      await checkBothLanguages(page, 'lost PUK-kod ID check', found);
      await page.getByTestId('check-id').click();
      await expect(page.getByTestId('puk-order-reference')).toBeVisible();
      await checkBothLanguages(page, 'lost PUK-kod choices', found);
      await page.getByTestId('puk-order-reference').fill('PUK-1');
      await page.getByTestId('record-puk-order').click();
      await expect(page.getByTestId('puk-ordered')).toBeVisible();
      await checkBothLanguages(page, 'lost PUK-kod ordered', found);
    } finally {
      await card.remove();
    }
    await page.goto(`${host.origin}/#/cards/block`);
    await page.getByTestId('block-card-number').fill('97522690000055555555');
    await page.getByTestId('block-card-number').press('Enter');
    await page.getByTestId('block-reported-by').fill('Kalle');
    await checkBothLanguages(page, 'block request for a card not registered here', found);
    await page.getByTestId('record-block').click();
    await expect(page.getByTestId('block-request')).toBeVisible();
    await page.goto(`${host.origin}/#/cards/block-requests`);
    await expect(page.getByTestId('open-block-request')).toHaveCount(1);
    await checkBothLanguages(page, 'open block requests', found);
    expect(found).toEqual({});
  });
});
