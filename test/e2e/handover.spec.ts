import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { createScenario, SCENARIO_HOLDER, SCENARIO_SERIAL } from '../sim/scenarios';
import { insertCard, type InsertedCard } from '../sim/vpcd';
import { READER_1 } from '../support/pcscd';
import { apiSession, firstRunByApi, logInWithPassword } from '../support/staff-session';
import { createPerson, readyCardOrder } from '../support/station-scene';
import { writeTrustDir } from '../support/trust-dir';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';
import { openAdministration, openCounterTile } from '../support/counter-nav';

let host: RunningWebHost;
let adminSecret = '';
let card: InsertedCard | null = null;
const SCREENS = 'test-results/screens';
const STATION = 'Akademiska, ingång 70';

/** One API session sets the scene: first run (which registers this station), Anna and her card order made ready. */
async function prepareStation(): Promise<void> {
  const api = await apiSession(host);
  adminSecret = await firstRunByApi(api, STATION);
  const [firstName, surname] = SCENARIO_HOLDER.name.split(' ');
  const person = await createPerson(api, { firstName: firstName!, surname: surname!, personnummer: '198507099805', hsaId: SCENARIO_HOLDER.hsaId, email: 'anna@example.se', employmentType: 'region' });
  await readyCardOrder(api, person, SCENARIO_SERIAL);
}

test.beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  const { trustedRoots } = await createScenario('healthy');
  host = await startWebHostProcess({ args: ['--trust', writeTrustDir(trustedRoots)] });
  await prepareStation();
});
test.afterAll(async () => {
  await card?.remove();
  await host.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });

test('hands over a ready card against an ID document, records a block request, shows it as a request (not a block) at the card test, and takes it back', async ({ page }) => {
  await logInWithPassword(page, host, '/cards/handover', adminSecret);
  await page.getByTestId('person-query').fill('Testsson');
  await page.getByTestId('person-hit').first().click();
  await expect(page.getByTestId('chosen-person')).toContainText('Anna Testsson');

  await page.getByTestId('document-type').selectOption('svenskt-korkort');
  await page.getByTestId('document-last-four').fill('12ab');
  await page.getByTestId('document-expiry').fill('2020-01-01');
  await expect(page.getByTestId('document-expired')).toContainText('ID-handlingen har gått ut');
  await page.getByTestId('document-expiry').fill('2031-05-31');
  await page.getByTestId('photo-matches').check();
  await page.getByTestId('pin-letter').check();

  card = await insertCard((await createScenario('healthy')).applet, { reader: 1 });
  await page.getByTestId('handover-reader').getByRole('button', { name: READER_1 }).click();
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: 20_000 });
  await shot(page, 'handover-ready');
  await page.getByTestId('hand-over').click();
  await expect(page.getByTestId('receipt')).toContainText('Kvittens — utlämnat eTjänstekort (SITHS-kort)');
  await expect(page.getByTestId('receipt-card-number')).toHaveText(SCENARIO_SERIAL);
  await expect(page.getByTestId('receipt')).toContainText('Svenskt körkort, …12AB, 2031-05-31');
  await shot(page, 'handover-receipt');

  await openCounterTile(page, 'Spärra');
  await page.getByTestId('block-card-number').fill(SCENARIO_SERIAL);
  await page.getByTestId('block-card-number').press('Enter');
  await page.getByTestId('block-reason').selectOption('lost');
  await page.getByTestId('block-reported-by').fill('Anna Testsson');
  await page.getByTestId('record-block').click();
  await expect(page.getByTestId('block-request')).toContainText('Förlorat');
  await shot(page, 'block-request');
  await page.getByTestId('order-replacement').click();
  await expect(page.getByTestId('replacement-ordered')).toBeVisible();

  await card.remove();
  card = await insertCard((await createScenario('healthy')).applet, { reader: 1 });
  await page.getByRole('link', { name: 'Kortstation' }).click();
  // only a request is recorded here; nobody has blocked the card in SITHS eID-portalen yet, and the card is not "Godkänt"
  const blockedTest = page.locator(`[data-test="card-test"][data-reader="${READER_1}"]`);
  await expect(blockedTest.getByTestId('card-blocked')).toContainText(/Spärrbegäran registrerad \d{4}-\d{2}-\d{2} — inte bekräftad/, { timeout: 20_000 });
  await expect(blockedTest.getByTestId('card-blocked')).not.toContainText('SPÄRRAD');
  await expect(blockedTest.getByTestId('verdict')).toHaveText('Varning');
  await expect(blockedTest.getByTestId('findings')).not.toContainText('Kortet fungerar');
  await shot(page, 'card-test-blocked');

  // staff block the card in SITHS eID-portalen and confirm it with the portal's reference: from then on the card test says SPÄRRAT
  await openAdministration(page, 'Spärrbegäranden');
  const open = page.getByTestId('open-block-request');
  await expect(open).toHaveCount(1);
  await expect(open.getByTestId('request-state')).toHaveText('Begärd — inte bekräftad');
  await open.getByTestId('portal-reference').fill('SP-2026-0042');
  await shot(page, 'block-requests-open');
  await open.getByTestId('confirm-block').click();
  await expect(open.getByTestId('request-state')).toHaveText('Spärrad i SITHS eID-portalen');
  await expect(open).toContainText('referens SP-2026-0042');
  await shot(page, 'block-requests-confirmed');
  await page.getByRole('link', { name: 'Kortstation' }).click();
  await expect(blockedTest.getByTestId('card-blocked')).toContainText('SPÄRRAT', { timeout: 20_000 });
  await expect(blockedTest.getByTestId('card-blocked')).not.toContainText('inte bekräftad');
  await expect(blockedTest.getByTestId('verdict')).toHaveText('Fel');
  await shot(page, 'card-test-block-confirmed');

  // the lost card turned up again: it is taken back from the reader and cut
  await openCounterTile(page, 'Återlämning');
  await page.getByTestId('return-from-reader').click();
  await expect(page.getByTestId('return-order')).toContainText('Spärrbegäran registrerad');
  await page.getByTestId('return-reason').selectOption('replaced');
  await page.getByTestId('cut-in-two').check();
  await page.getByTestId('record-return').click();
  await expect(page.getByTestId('receipt')).toContainText('Kvittens — återlämnat eTjänstekort (SITHS-kort)');
  await expect(page.getByTestId('receipt')).toContainText('Ersatt av nytt kort');
  await shot(page, 'return-receipt');
});

test('records a block request for a card number not registered here, and closes it once blocked in SITHS eID-portalen', async ({ page }) => {
  const elsewhere = '97522690000077777777';
  await logInWithPassword(page, host, '/cards/block', adminSecret);
  await page.getByTestId('block-card-number').fill(elsewhere);
  await page.getByTestId('block-card-number').press('Enter');
  // no longer "Inget kort med det numret finns registrerat": a card issued elsewhere is blocked as soon as possible too
  await expect(page.getByTestId('block-not-registered')).toContainText('Kortet finns inte registrerat här — spärrbegäran registreras ändå.');
  await page.getByTestId('block-reason').selectOption('stolen');
  await page.getByTestId('block-reported-by').fill('Kalle Kortlös');
  await shot(page, 'block-request-unregistered-form');
  await page.getByTestId('record-block').click();
  await expect(page.getByTestId('block-request-card')).toHaveText(elsewhere);
  await expect(page.getByTestId('block-request-state')).toHaveText('Begärd — inte bekräftad');
  await expect(page.getByTestId('block-request')).toContainText('Inte registrerat här');
  await expect(page.getByTestId('order-replacement')).toHaveCount(0);
  await shot(page, 'block-request-unregistered');

  await openAdministration(page, 'Spärrbegäranden');
  const request = page.getByTestId('open-block-request').filter({ hasText: elsewhere });
  await request.getByTestId('portal-reference').fill('SP-2026-0099');
  await request.getByTestId('confirm-block').click();
  await expect(request.getByTestId('request-state')).toHaveText('Spärrad i SITHS eID-portalen');
  await request.getByTestId('close-block-request').click();
  await expect(page.getByTestId('open-block-request').filter({ hasText: elsewhere })).toHaveCount(0);
  await shot(page, 'block-requests-after-close');
});
