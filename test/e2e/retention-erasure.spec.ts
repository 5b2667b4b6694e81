// Gallring for administrators (each rule, its basis, a period changed within bounds, a dry run, a run and what it removed) and erasure from the person's record.
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

test('the organisation administrator sees the retention rules, keeps a period within bounds, runs the job, and erases a person', async ({ page }) => {
  await page.goto(host.url);
  await setUpStationAsAdmin(page, host);
  await openAdministration(page, 'Gallring');
  await expect(page.getByRole('heading', { name: 'Gallring' })).toBeVisible();
  await expect(page.getByTestId('retention-last-run')).toContainText('inte körts');
  await expect(page.getByTestId('retention-rule-block-requests')).toContainText('Ineras krav');
  await expect(page.getByTestId('retention-rule-outbox-bodies')).toContainText('GDPR');

  await page.getByTestId('retention-period-outbox-bodies').fill('10');
  await page.getByTestId('retention-save-outbox-bodies').click();
  // below the rule's bounds the form does not send (the service refuses it too, see the integration test)
  expect(await page.getByTestId('retention-period-outbox-bodies').evaluate((input) => (input as unknown as { validity: { rangeUnderflow: boolean } }).validity.rangeUnderflow)).toBe(true);
  await expect(page.getByTestId('retention-message')).toBeHidden();
  await page.getByTestId('retention-period-outbox-bodies').fill('60');
  await page.getByTestId('retention-save-outbox-bodies').click();
  await expect(page.getByTestId('retention-message')).toContainText('sparad');

  await page.getByTestId('retention-dry-run').click();
  await expect(page.getByTestId('retention-due-people-who-left')).toHaveText('0');
  await page.getByTestId('retention-run').click();
  await expect(page.getByTestId('retention-last-run')).toContainText('Senaste gallring');
  await expect(page.getByTestId('retention-removed-outbox-bodies')).toHaveText('0');
  await page.screenshot({ path: 'test-results/screens/retention.png', fullPage: true });

  const person = testPerson(8);
  const created = await page.evaluate(
    async (input) => (await (await fetch('/api/call/people.create', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) })).json()) as { ok: boolean; value: { id: number } },
    { ...person, employmentType: 'region', employmentEnd: null, unitIds: [] },
  );
  await page.goto(`${host.origin}/#/people/${created.value.id}`);
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('person-erase').click();
  await expect(page.getByTestId('person-erased')).toContainText(`Borttagen person ${created.value.id}`);
  await expect(page.getByTestId('person-personnummer')).not.toContainText(person.personnummer.slice(8));
  await expect(page.getByTestId('person-name')).not.toContainText(person.firstName);

  await openAdministration(page, 'Granskningslogg');
  await expect(page.getByTestId('audit-table')).toContainText('person.erased');
  await expect(page.getByTestId('audit-table')).toContainText('retention.ran');
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-check')).toContainText('Loggen är obruten');
});
