import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { apiSession, firstRunByApi, logInWithPassword } from '../support/staff-session';
import { createMunicipalityUnits } from '../support/station-scene';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';
import { openAdministration } from '../support/counter-nav';

let host: RunningWebHost;
let adminSecret = '';
const SCREENS = 'test-results/screens';

test.beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  host = await startWebHostProcess();
  const api = await apiSession(host);
  adminSecret = await firstRunByApi(api, 'Akademiska, ingång 70');
  await createMunicipalityUnits(api, [
    { name: 'Hemtjänst Öst', reference: 'K4711' },
    { name: 'Hemtjänst Väst', reference: 'K4712' },
  ]);
});
test.afterAll(async () => {
  await host.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });
/** The month charges made now belong to: the calendar month in Swedish time. */
const openMonth = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);

test("a unit's order of tokens is delivered and charged to its reference in the open month", async ({ page }) => {
  await logInWithPassword(page, host, '/tokens', adminSecret);
  const orders = page.getByTestId('token-orders');
  await expect(orders).toContainText('Inga beställningar.');
  await page.getByTestId('token-order-unit').selectOption({ label: 'Hemtjänst Öst (K4711)' });
  await page.getByTestId('token-order-quantity').fill('4');
  await page.getByTestId('token-order-price').fill('137.50');
  await page.getByTestId('token-order-place').click();
  await expect(page.getByTestId('token-orders-message')).toHaveText('Beställningen är registrerad.');
  const order = orders.getByTestId('token-order');
  await expect(order).toHaveCount(1);
  await expect(order).toContainText('Hemtjänst Öst (K4711)');
  await expect(order).toContainText('137,50 kr');

  // 4 tokens at 137,50 kr: 550,00 kr on K4711
  await order.getByTestId('token-order-deliver').click();
  await expect(page.getByTestId('token-orders-message')).toContainText('550,00 kr debiteras referens K4711.');
  await expect(order).toContainText('Levererad');
  await expect(order.getByTestId('token-order-deliver')).toHaveCount(0);
  await shot(page, 'token-order-delivered');

  await openAdministration(page, 'Fakturaunderlag');
  await page.getByTestId('invoice-month').fill(openMonth());
  await page.getByTestId('invoice-show').click();
  const basis = page.getByTestId('invoice-basis');
  await expect(basis).toHaveCount(1);
  await expect(basis.getByRole('heading')).toHaveText('Referens K4711 — Hemtjänst Öst');
  await expect(basis.getByRole('row', { name: /Köpt dosa/ })).toContainText('550,00 kr');
  await expect(page.getByTestId('invoice-closed')).toHaveCount(0);
  await shot(page, 'token-order-invoice-basis');
});
