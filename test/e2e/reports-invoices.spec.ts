import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { setUpStationAsAdmin } from '../support/staff-session';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';
import { openAdministration } from '../support/counter-nav';

let host: RunningWebHost;

test.beforeAll(async () => {
  host = await startWebHostProcess();
});
test.afterAll(async () => {
  await host.stop();
});

test('an administrator runs and exports a report, sees an empty invoice month, and edits a mail template', async ({ page }) => {
  await setUpStationAsAdmin(page, host);

  await openAdministration(page, 'Rapporter');
  await page.getByTestId('report-name').selectOption('stock');
  await expect(page.getByTestId('report-table')).toContainText('Inga rader matchar.');
  await page.getByTestId('report-name').selectOption('handovers');
  await expect(page.getByTestId('sort-name')).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByTestId('report-xlsx').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^handovers-\d{4}-\d{2}-\d{2}\.xlsx$/);
  // an xlsx file is a zip archive
  expect(readFileSync(await file.path()).subarray(0, 2).toString('latin1')).toBe('PK');

  await openAdministration(page, 'Fakturaunderlag');
  await page.getByTestId('invoice-month').fill('2026-01');
  await page.getByTestId('invoice-show').click();
  await expect(page.getByTestId('invoice-none')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/invoices-view.png', fullPage: true });

  await openAdministration(page, 'E-post');
  await expect(page.getByTestId('outbox-table')).toContainText('Inga meddelanden.');
  await page.getByTestId('template-edit-card-ready').click();
  await page.getByTestId('template-body').fill('Hej {{fornamn}}, kortet väntar.');
  await page.getByTestId('template-save').click();
  await expect(page.getByRole('alert')).toContainText('fornamn');
  await page.getByTestId('template-body').fill('Hej {{namn}}, kortet väntar på {{station}}.');
  await page.getByTestId('template-save').click();
  await expect(page.getByRole('status')).toContainText('Mallen sparades.');
  await expect(page.getByTestId('template-table').getByRole('row').first()).not.toContainText('Standardtext');
  await page.screenshot({ path: 'test-results/screens/outbox-view.png', fullPage: true });
});
