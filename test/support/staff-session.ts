// Sets a fresh station up through its first-run screen, which leaves the new organisation administrator logged in.
import { expect, type Page } from '@playwright/test';
import type { RunningWebHost } from './web-host-process';

export const ADMIN_PASSWORD = 'Vinterkort42';

export async function setUpStationAsAdmin(page: Page, host: RunningWebHost): Promise<void> {
  await page.goto(host.url);
  await page.getByTestId('first-run-link').click();
  await page.getByTestId('station-name').fill('Akademiska sjukhuset, ingång 70');
  await page.getByTestId('organisation-name').fill('Region Uppsala');
  await page.getByTestId('display-name').fill('Åsa Admin');
  await page.getByTestId('username').fill('asa.admin');
  await page.getByTestId('password').fill(ADMIN_PASSWORD);
  await page.getByTestId('repeat-password').fill(ADMIN_PASSWORD);
  await page.getByTestId('first-run-create').click();
  await page.getByTestId('enrolled').click();
  await expect(page.getByTestId('staff-indicator')).toContainText('Åsa Admin');
}
