import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { generateSync } from 'otplib';
import { createScenario, SCENARIO_HOLDER, SCENARIO_SERIAL } from '../sim/scenarios';
import { insertCard, type InsertedCard } from '../sim/vpcd';
import { READER_1 } from '../support/pcscd';
import { writeTrustDir } from '../support/trust-dir';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

let host: RunningWebHost;
let adminSecret = '';
let card: InsertedCard | null = null;
const SCREENS = 'test-results/screens';
const PASSWORD = 'Vinterkort42';
const STATION = 'Akademiska, ingång 70';

/** One API session sets the scene: first run, this station registered, Anna and her card order made ready. */
async function prepareStation(): Promise<void> {
  const headers = { 'content-type': 'application/json', 'x-kortstation-secret': host.secret };
  const { sessionId } = (await (await fetch(`${host.origin}/api/session`, { method: 'POST', headers })).json()) as { sessionId: string };
  const api = async (name: string, input: unknown) => {
    const reply = (await (await fetch(`${host.origin}/api/call/${name}`, { method: 'POST', headers: { ...headers, 'x-kortstation-session': sessionId }, body: JSON.stringify(input) })).json()) as { ok: boolean; value: never };
    if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply)}`);
    return reply.value as { id: number; otpauthUri: string };
  };
  const { otpauthUri } = await api('setup.firstRun', { organisationName: 'Region Uppsala', stationName: STATION, admin: { username: 'asa.admin', displayName: 'Åsa Admin', password: PASSWORD } });
  adminSecret = new URL(otpauthUri).searchParams.get('secret')!;
  await api('stations.create', { name: STATION, site: 'Ingång 70', address: 'Sjukhusvägen 1, Uppsala' });
  const [firstName, surname] = SCENARIO_HOLDER.name.split(' ');
  const person = await api('people.create', { firstName, surname, personnummer: '198507099805', hsaId: SCENARIO_HOLDER.hsaId, username: null, email: 'anna@example.se', mobile: null, employmentType: 'region', employmentEnd: null, unitIds: [] });
  const order = await api('cardOrders.create', { personId: person.id, orderDate: '2026-11-01', orderReference: 'BEST-4711' });
  await api('cardOrders.photograph', { orderId: order.id });
  await api('cardOrders.produce', { orderId: order.id, cardNumber: SCENARIO_SERIAL });
  await api('cardOrders.markReady', { orderId: order.id });
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

async function logIn(page: Page, path: string): Promise<void> {
  await page.goto(`${host.url}#${path}`);
  await expect(page.getByTestId('lock-view')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('login-password').click();
  await page.getByTestId('username').fill('asa.admin');
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('otp').fill(generateSync({ secret: adminSecret }));
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('staff-indicator')).toContainText('Åsa Admin');
}

test('hands over a ready card against an ID document, blocks it, flags it SPÄRRAD at the card test, and takes it back', async ({ page }) => {
  await logIn(page, '/cards/handover');
  await page.getByTestId('person-query').fill('Testsson');
  await page.getByTestId('person-hit').first().click();
  await expect(page.getByTestId('chosen-person')).toContainText('Anna Testsson');

  await page.getByTestId('document-type').selectOption('svenskt-korkort');
  await page.getByTestId('document-last-four').fill('12ab');
  await page.getByTestId('document-expiry').fill('2020-01-01');
  await expect(page.getByTestId('document-expired')).toContainText('Id-handlingen har gått ut');
  await page.getByTestId('document-expiry').fill('2031-05-31');
  await page.getByTestId('photo-matches').check();
  await page.getByTestId('pin-letter').check();

  card = await insertCard((await createScenario('healthy')).applet, { reader: 1 });
  await page.getByTestId('handover-reader').selectOption(READER_1);
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: 20_000 });
  await shot(page, 'handover-ready');
  await page.getByTestId('hand-over').click();
  await expect(page.getByTestId('receipt')).toContainText('Kvittens — utlämnat SITHS-kort');
  await expect(page.getByTestId('receipt-card-number')).toHaveText(SCENARIO_SERIAL);
  await expect(page.getByTestId('receipt')).toContainText('Svenskt körkort, …12AB, 2031-05-31');
  await shot(page, 'handover-receipt');

  await page.getByTestId('staff-nav').getByRole('link', { name: 'Spärr' }).click();
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
  await expect(page.locator(`[data-test="card-test"][data-reader="${READER_1}"]`).getByTestId('card-blocked')).toContainText('SPÄRRAD', { timeout: 20_000 });
  await shot(page, 'card-test-blocked');

  // the lost card turned up again: it is taken back from the reader and cut
  await page.getByTestId('staff-nav').getByRole('link', { name: 'Återlämning' }).click();
  await page.getByTestId('return-from-reader').click();
  await expect(page.getByTestId('return-order')).toContainText('Spärrat');
  await page.getByTestId('return-reason').selectOption('replaced');
  await page.getByTestId('cut-in-two').check();
  await page.getByTestId('record-return').click();
  await expect(page.getByTestId('receipt')).toContainText('Kvittens — återlämnat SITHS-kort');
  await expect(page.getByTestId('receipt')).toContainText('Ersatt av nytt kort');
  await shot(page, 'return-receipt');
});
