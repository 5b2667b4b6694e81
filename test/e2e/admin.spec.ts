import { expect, test } from '@playwright/test';
import { personnummerFor, testPerson, withWrongCheckDigit } from '../people-data';
import { setUpStationAsAdmin } from '../support/staff-session';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';
import { openAdministration } from '../support/counter-nav';

let host: RunningWebHost;

test.beforeAll(async () => {
  // invitations need the address their links point to; without a relay they wait in the outbox
  host = await startWebHostProcess({ env: { KORTSTATION_PUBLIC_URL: 'https://kortstation.example.se' } });
});
test.afterAll(async () => {
  await host.stop();
});

test('the organisation admin registers the organisation, a person through the form, and an operator account', async ({ page }) => {
  await setUpStationAsAdmin(page, host);

  await openAdministration(page, 'Organisation');
  await page.getByTestId('organisation-name-input').fill('Knivsta kommun');
  await page.getByTestId('organisation-kind').selectOption('kommun');
  await page.getByTestId('organisation-create').click();
  await expect(page.getByTestId('organisations-table')).toContainText('Knivsta kommun');
  await page.getByTestId('unit-organisation').selectOption({ label: 'Knivsta kommun' });
  await page.getByTestId('unit-name').fill('Hemtjänst');
  await page.getByTestId('unit-reference').fill('KK100');
  await page.getByTestId('unit-create').click();
  await expect(page.getByTestId('units-table')).toContainText('KK100');
  await page.getByTestId('unit-parent').selectOption({ label: 'Knivsta kommun › Hemtjänst (KK100)' });
  await page.getByTestId('unit-name').fill('Hemtjänst natt');
  await page.getByTestId('unit-reference').fill('KK110');
  await page.getByTestId('unit-create').click();
  await expect(page.getByTestId('units-table')).toContainText('Knivsta kommun › Hemtjänst › Hemtjänst natt');
  await page.getByTestId('station-name-input').fill('Knivsta vårdcentral');
  await page.getByTestId('station-site').fill('Knivsta');
  await page.getByTestId('station-address').fill('Centralvägen 1, Knivsta');
  await page.getByTestId('station-create').click();
  await expect(page.getByTestId('stations-table')).toContainText('Centralvägen 1, Knivsta');
  await page.screenshot({ path: 'test-results/screens/admin-organisation.png', fullPage: true });

  const person = testPerson(7);
  await openAdministration(page, 'Personer');
  await page.getByTestId('person-new-link').click();
  await page.getByTestId('person-first-name').fill(person.firstName);
  await page.getByTestId('person-surname').fill(person.surname);
  await page.getByTestId('person-personnummer-input').fill(withWrongCheckDigit(personnummerFor(7)));
  await expect(page.getByTestId('personnummer-problem')).toHaveText('Personnumret har fel kontrollsiffra.');
  await expect(page.getByTestId('person-save')).toBeDisabled();
  await page.getByTestId('person-personnummer-input').fill(person.personnummer);
  await page.getByTestId('person-hsa-id').fill(person.hsaId);
  await page.getByTestId('person-mobile').fill(person.mobile);
  await page.getByTestId('person-employment-type').selectOption('kommunal');
  await page.getByTestId('person-units-input').getByLabel('Knivsta kommun › Hemtjänst › Hemtjänst natt (KK110)').check();
  await page.getByTestId('person-save').click();
  await expect(page.getByTestId('person-name')).toHaveText(`${person.firstName} ${person.surname}`);
  await expect(page.getByTestId('person-units')).toContainText('Hemtjänst natt (KK110) — Knivsta kommun');

  await openAdministration(page, 'Personer');
  await page.getByTestId('person-new-link').click();
  await page.getByTestId('person-first-name').fill('Dubbel');
  await page.getByTestId('person-surname').fill('Gångare');
  await page.getByTestId('person-personnummer-input').fill(person.personnummer);
  await page.getByTestId('person-save').click();
  await expect(page.getByTestId('person-form-error')).toHaveText('Det finns redan en person med det personnumret.');
  await page.screenshot({ path: 'test-results/screens/admin-person-duplicate.png', fullPage: true });

  await page.goto(`${host.origin}/#/people`);
  await page.getByTestId('people-search').fill(person.surname);
  await page.getByTestId('people-hits').getByRole('link', { name: new RegExp(person.firstName) }).first().click();
  await page.getByTestId('person-edit-link').click();
  await expect(page.getByTestId('person-personnummer-input')).toHaveValue(/-/);
  await page.getByTestId('person-surname').fill('Ek-Lindqvist');
  await page.getByTestId('person-employment-end').fill('2027-06-30');
  await page.screenshot({ path: 'test-results/screens/admin-person-edit.png', fullPage: true });
  await page.getByTestId('person-save').click();
  await expect(page.getByTestId('person-name')).toHaveText(`${person.firstName} Ek-Lindqvist`);
  await expect(page.getByTestId('person-units')).toContainText('KK110');

  await openAdministration(page, 'Personal');
  await page.getByTestId('staff-new').click();
  await page.getByTestId('staff-display-name').fill('Olle Operatör');
  await page.getByTestId('staff-username').fill('olle.op');
  await page.getByTestId('staff-role').selectOption('operator');
  // an administrator never types someone else's password: the person is invited by e-mail
  await expect(page.getByTestId('staff-password')).toHaveCount(0);
  await expect(page.getByTestId('staff-create')).toBeDisabled();
  await page.getByTestId('staff-email').fill('olle.op@example.se');
  await page.getByTestId('staff-mobile').fill('070-12');
  await expect(page.getByTestId('staff-form')).toContainText('Ange ett svenskt mobilnummer');
  await expect(page.getByTestId('staff-create')).toBeDisabled();
  await page.getByTestId('staff-mobile').fill('070-123 45 67');
  await page.getByTestId('staff-create').click();
  await expect(page.getByTestId('staff-message')).toHaveText('Kontot olle.op är skapat och en inbjudan är skickad till olle.op@example.se.');
  await expect(page.getByTestId('staff-row-olle.op')).toContainText('ID-administratör');
  await expect(page.getByTestId('staff-row-olle.op')).toContainText('Inbjuden, väntar på svar');

  await page.getByTestId('staff-manage-olle.op').click();
  await page.getByTestId('staff-toggle-disabled').click();
  await expect(page.getByTestId('staff-row-olle.op')).toContainText('Avstängt');
  await expect(page.getByTestId('staff-new-password')).toHaveCount(0);
  await page.getByTestId('staff-send-invitation').click();
  await expect(page.getByTestId('staff-editor-message')).toHaveText('En ny inbjudan är skickad. Den gamla länken fungerar inte längre.');
  await page.screenshot({ path: 'test-results/screens/admin-staff.png', fullPage: true });
  await page.getByTestId('staff-manage-asa.admin').click();
  await page.getByTestId('staff-edit-role').selectOption('operator');
  await page.getByTestId('staff-save-role').click();
  await expect(page.getByTestId('staff-editor-error')).toHaveText('Det måste finnas minst en aktiv organisationsadministratör.');
});
