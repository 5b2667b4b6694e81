// Registerutdrag on the person's record: the extract page shows the holder's data and who read it, is ready to print, and is itself audited.
import { expect, test } from '@playwright/test';
import { testPerson } from '../people-data';
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

test('the organisation administrator opens a person, prints the register extract, and the trail records it', async ({ page }) => {
  await page.goto(host.url);
  await setUpStationAsAdmin(page, host);
  const person = testPerson(7);
  const created = await page.evaluate(
    async (input) => (await (await fetch('/api/call/people.create', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) })).json()) as { ok: boolean; value: { id: number } },
    { ...person, employmentType: 'region', employmentEnd: null, unitIds: [] },
  );
  expect(created.ok).toBe(true);

  await page.goto(`${host.origin}/#/people/${created.value.id}`);
  await page.getByTestId('person-extract-link').click();
  await expect(page.getByRole('heading', { name: 'Registerutdrag' })).toBeVisible();
  await expect(page.getByTestId('extract-person')).toContainText(`${person.firstName} ${person.surname}`);
  await expect(page.getByTestId('extract-person')).toContainText(person.email);
  // the view a moment ago and this extract: who read the record and when
  await expect(page.getByTestId('extract-audit')).toContainText('person.viewed');
  await expect(page.getByTestId('extract-audit')).toContainText('person.extracted');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('extract-print')).toBeHidden();
  await page.screenshot({ path: 'test-results/screens/register-extract.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  await openAdministration(page, 'Granskningslogg');
  await expect(page.getByTestId('audit-table')).toContainText('person.extracted');
});
