import { writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { csvLine, personnummerFor, TEMPLATE_HEADER, testPerson, withWrongCheckDigit } from '../people-data';
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

test('staff import people, find one as they type, open the record, and the audit trail shows it', async ({ page }, testInfo) => {
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/people`);
  await expect(page.getByTestId('lock-view').or(page.getByRole('heading', { name: 'Sätt upp kortstationen' }))).toBeVisible();

  await setUpStationAsAdmin(page, host);
  await openAdministration(page, 'Personer');
  await page.getByTestId('people-import-link').click();

  const bad = testInfo.outputPath('people-bad.csv');
  const good = testInfo.outputPath('people.csv');
  const people = [1, 2, 3].map(testPerson);
  writeFileSync(bad, [TEMPLATE_HEADER, csvLine(people[0]!), csvLine({ ...people[1]!, personnummer: withWrongCheckDigit(personnummerFor(2)) })].join('\r\n'));
  writeFileSync(good, [TEMPLATE_HEADER, ...people.map((person) => csvLine(person))].join('\r\n'));

  await page.getByTestId('people-import-file').setInputFiles(bad);
  await expect(page.getByTestId('people-import-faults')).toContainText('3');
  await expect(page.getByTestId('people-import-run')).toBeDisabled();
  await page.screenshot({ path: 'test-results/screens/people-import-faults.png', fullPage: true });
  await page.getByTestId('people-import-file').setInputFiles(good);
  await expect(page.getByTestId('people-import-run')).toBeEnabled();
  await page.getByTestId('people-import-run').click();
  await expect(page.getByTestId('people-import-message')).toContainText('3');

  await openAdministration(page, 'Personer');
  const target = people[1]!;
  await page.getByTestId('people-search').fill(target.surname.slice(0, 3));
  await expect(page.getByTestId('people-hits')).toContainText(`${target.personnummer.slice(0, 8)}-****`);
  await page.screenshot({ path: 'test-results/screens/people-search.png', fullPage: true });
  await page.getByTestId('people-hits').getByRole('link', { name: new RegExp(`${target.surname}, ${target.firstName}`) }).first().click();
  await expect(page.getByTestId('person-personnummer')).toContainText(target.personnummer.slice(8));

  await openAdministration(page, 'Granskningslogg');
  await expect(page.getByTestId('audit-table')).toContainText('person.viewed');
  await expect(page.getByTestId('audit-table')).toContainText('people.imported');
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-check')).toContainText('Loggen är obruten');
  await page.screenshot({ path: 'test-results/screens/audit-view.png', fullPage: true });

  await page.getByTestId('logout').click();
  await page.goto(`${host.origin}/#/audit`);
  await expect(page.getByTestId('lock-view')).toBeVisible();
});
