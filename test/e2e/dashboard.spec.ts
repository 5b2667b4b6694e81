import { expect, test } from '@playwright/test';
import { apiSession, firstRunByApi, logInWithPassword } from '../support/staff-session';
import { createMunicipalityUnits } from '../support/station-scene';
import { hotpBatch, importBatch } from '../support/token-batch';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

let host: RunningWebHost;
let adminSecret = '';

test.beforeAll(async () => {
  host = await startWebHostProcess();
  const api = await apiSession(host);
  adminSecret = await firstRunByApi(api, 'Akademiska, ingång 70');
  await createMunicipalityUnits(api, [{ name: 'Hemtjänst Öst', reference: 'K4711' }]);
  await importBatch(api, hotpBatch('DASH', 3), 'K4711');
});
test.afterAll(async () => {
  await host.stop();
});

test('the overview draws stock, activity and expiries, each also as a table', async ({ page }) => {
  await logInWithPassword(page, host, '/dashboard', adminSecret);
  await expect(page.getByRole('heading', { name: 'Översikt' })).toBeVisible();
  const stock = page.getByTestId('dashboard-chart').filter({ hasText: 'Dosor per enhet' });
  await expect(stock.locator('canvas')).toBeVisible();
  await expect(stock.getByTestId('dashboard-table')).toContainText('Hemtjänst Öst');
  await expect(stock.getByTestId('dashboard-table').getByRole('row', { name: /Hemtjänst Öst/ })).toContainText('3');
  await expect(stock.getByTestId('dashboard-table')).toContainText('I lager');
  await page.screenshot({ path: 'test-results/screens/dashboard.png', fullPage: true });
});
