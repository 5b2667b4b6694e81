// Staff navigation in end-to-end tests: the daily jobs from the counter home's tiles, the rest from the administration page.
import type { Page } from '@playwright/test';

export async function openCounterTile(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-home').click();
  await page.getByTestId('counter-tiles').getByRole('link', { name, exact: true }).click();
}

export async function openAdministration(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-administration').click();
  await page.getByTestId('administration-links').getByRole('link', { name, exact: true }).click();
}
