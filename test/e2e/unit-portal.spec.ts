// The unit portal in the browser (issue 13): a unit administrator filters their people and adds one, a read-only one sees no edit buttons and the API refuses, the organisation administrator moves and closes a unit.
import { expect, test, type Page } from '@playwright/test';
import { ADMIN_PASSWORD, apiSession, firstRunByApi, staffCode, type Api } from '../support/staff-session';
import { createMunicipalityUnits, createPerson } from '../support/station-scene';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';
import { openAdministration } from '../support/counter-nav';
import { logInOnPage } from '../support/account-pages';
import { inviteAndActivate, invitationEnv } from '../support/invited-staff';
import { startSmtp, type RunningSmtp } from '../support/smtp';

const SCREENS = 'test-results/screens';
const UNIT_ADMIN_PASSWORD = 'Enhetskort42';

let host: RunningWebHost;
let admin: Api;
let adminSecret = '';
const secrets = new Map<string, string>();
let east = 0;
let west = 0;
let north = 0;

let smtp: RunningSmtp;

async function createUnitAdmin(username: string, displayName: string, unitIds: number[]): Promise<number> {
  const { id, secret } = await inviteAndActivate(admin, host, smtp, { username, displayName, role: 'unit-admin', unitIds, password: UNIT_ADMIN_PASSWORD });
  secrets.set(username, secret);
  return id;
}

test.beforeAll(async () => {
  smtp = await startSmtp();
  host = await startWebHostProcess({ env: invitationEnv(smtp) });
  admin = await apiSession(host);
  adminSecret = await firstRunByApi(admin, 'Akademiska, ingång 70');
  await admin('auth.loginPassword', { username: 'asa.admin', password: ADMIN_PASSWORD, otp: staffCode(host, adminSecret) });
  const units = await createMunicipalityUnits(admin, [
    { name: 'Hemtjänst Öst', reference: 'K4711' },
    { name: 'Hemtjänst Väst', reference: 'K4712' },
    { name: 'Hemtjänst Norr', reference: 'K4713' },
  ]);
  [east, west, north] = [units[0]!, units[1]!, units[2]!];
  await createPerson(admin, { firstName: 'Anna', surname: 'Berg', personnummer: '198507099805', unitIds: [east] });
  await createPerson(admin, { firstName: 'Bo', surname: 'Berg', personnummer: '197001012389', unitIds: [east], employmentEnd: '2020-06-30' });
  await createPerson(admin, { firstName: 'Cecilia', surname: 'Lund', personnummer: '196505052388', unitIds: [west] });
  await createPerson(admin, { firstName: 'Dan', surname: 'Norrman', personnummer: '199001011239', unitIds: [north] });
  await createUnitAdmin('ulla.enhet', 'Ulla Enhetschef', [east, west]);
  const rut = await createUnitAdmin('rut.las', 'Rut Läsare', [east]);
  await admin('unitAdmins.setCanEdit', { staffId: rut, unitId: east, canEdit: false });
});
test.afterAll(async () => {
  await host.stop();
  await smtp.stop();
});

const logIn = (page: Page, path: string, username: string, password: string, secret: string, displayName: string): Promise<void> =>
  logInOnPage(page, `${host.url}#${path}`, { username, password, otp: staffCode(host, secret), displayName });

const rows = (page: Page) => page.getByTestId('people-list-rows').getByTestId('people-list-row');

test('a unit administrator filters their people by unit and status, and adds a person to their unit', async ({ page }) => {
  await logIn(page, '/home', 'ulla.enhet', UNIT_ADMIN_PASSWORD, secrets.get('ulla.enhet')!, 'Ulla Enhetschef');
  await openAdministration(page, 'Personer');
  // employed people by default, only from her units: never Dan of Hemtjänst Norr
  await expect(rows(page)).toHaveCount(2);
  await expect(page.getByTestId('people-list')).toContainText('Berg, Anna');
  await expect(page.getByTestId('people-list')).toContainText('Lund, Cecilia');
  await expect(page.getByTestId('people-list')).not.toContainText('Norrman');
  await expect(page.getByTestId('people-filter-unit').getByRole('option')).toHaveCount(3);

  await page.getByTestId('people-filter-unit').selectOption({ label: 'Uppsala kommun › Hemtjänst Öst (K4711)' });
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText('Berg, Anna');
  await page.getByTestId('people-status-ended').click();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText('Berg, Bo');
  await expect(rows(page)).toContainText('Slutade 2020-06-30');
  await page.getByTestId('people-status-all').click();
  await expect(rows(page)).toHaveCount(2);
  await page.screenshot({ path: `${SCREENS}/unit-portal-people.png`, fullPage: true });

  await page.getByTestId('person-new-link').click();
  await page.getByTestId('person-first-name').fill('Eva');
  await page.getByTestId('person-surname').fill('Ek');
  await page.getByTestId('person-personnummer-input').fill('19800101-0027');
  await page.getByTestId('person-employment-type').selectOption('kommunal');
  await expect(page.getByTestId('person-units-input').getByRole('checkbox')).toHaveCount(2);
  await page.getByTestId('person-units-input').getByLabel('Uppsala kommun › Hemtjänst Öst (K4711)').check();
  await page.getByTestId('person-save').click();
  await expect(page.getByTestId('person-name')).toHaveText('Eva Ek');

  await openAdministration(page, 'Personer');
  await page.getByTestId('people-filter-unit').selectOption({ label: 'Uppsala kommun › Hemtjänst Öst (K4711)' });
  await expect(rows(page)).toHaveCount(2);
  await expect(page.getByTestId('people-list')).toContainText('Ek, Eva');
});

test('a unit administrator without "Kan redigera" sees no edit buttons, and the API refuses their writes', async ({ page }) => {
  await logIn(page, '/home', 'rut.las', UNIT_ADMIN_PASSWORD, secrets.get('rut.las')!, 'Rut Läsare');
  await openAdministration(page, 'Personer');
  await expect(page.getByTestId('people-read-only')).toBeVisible();
  await expect(rows(page).first()).toContainText('Berg, Anna');
  await expect(page.getByTestId('person-new-link')).toHaveCount(0);
  await expect(page.getByTestId('people-import-link')).toHaveCount(0);
  await rows(page).filter({ hasText: 'Berg, Anna' }).click();
  await expect(page.getByTestId('person-name')).toHaveText('Anna Berg');
  await expect(page.getByTestId('person-edit-link')).toHaveCount(0);
  await page.screenshot({ path: `${SCREENS}/unit-portal-read-only.png`, fullPage: true });

  // the buttons are hidden for her sake; main refuses the calls themselves
  const api = await apiSession(host);
  await api('auth.loginPassword', { username: 'rut.las', password: UNIT_ADMIN_PASSWORD, otp: staffCode(host, secrets.get('rut.las')!) });
  const person = { firstName: 'Fia', surname: 'Fors', personnummer: '198001010035', hsaId: null, username: null, email: null, mobile: null, employmentType: 'kommunal', employmentEnd: null, unitIds: [east] };
  await expect(api('people.create', person)).rejects.toThrow(/"code":"read-only"/);
  await expect(api('tokens.order', { unitId: east, quantity: 2, priceOre: 35_000 })).rejects.toThrow(/"code":"read-only"/);
  await expect(api('units.close', { id: east })).rejects.toThrow(/"code":"forbidden"/);
});

test('the organisation administrator moves a unit under another and closes a unit', async ({ page }) => {
  await logIn(page, '/home', 'asa.admin', ADMIN_PASSWORD, adminSecret, 'Åsa Admin');
  await openAdministration(page, 'Organisation');
  await page.getByTestId('unit-edit-K4713').click();
  await page.getByTestId('unit-move-parent').selectOption({ label: 'Uppsala kommun › Hemtjänst Öst (K4711)' });
  await page.getByTestId('unit-move').click();
  await expect(page.getByTestId('organisation-message')).toHaveText('Hemtjänst Norr är flyttad.');
  await expect(page.getByTestId('unit-row-K4713')).toContainText('Uppsala kommun › Hemtjänst Öst › Hemtjänst Norr (K4713)');
  // Hemtjänst Öst cannot go under its own new sub-unit: it is not offered, and main refuses it
  await page.getByTestId('unit-edit-K4711').click();
  await expect(page.getByTestId('unit-move-parent').getByRole('option', { name: /Hemtjänst Norr/ })).toHaveCount(0);
  await expect(admin('units.move', { id: east, parentId: north })).rejects.toThrow(/"code":"unit-cycle"/);

  // Dan still works in Hemtjänst Norr: closing is refused until he has left or moved
  await page.getByTestId('unit-edit-K4713').click();
  await page.getByTestId('unit-close').click();
  await page.getByTestId('unit-close-confirm').click();
  await expect(page.getByTestId('organisation-error')).toContainText('Enheten har fortfarande aktiva personer');
  await expect(page.getByTestId('unit-row-K4713')).not.toContainText('Stängd');

  const dan = (await admin<{ people: { id: number }[] }>('people.list', { unitId: north, status: 'all' })).people[0]!;
  await admin('people.update', { id: dan.id, firstName: 'Dan', surname: 'Norrman', personnummer: '199001011239', hsaId: null, username: 'dan.norrman', email: null, mobile: null, employmentType: 'kommunal', employmentEnd: '2020-12-31', unitIds: [north] });
  await page.getByTestId('unit-close').click();
  await page.getByTestId('unit-close-confirm').click();
  await expect(page.getByTestId('organisation-message')).toHaveText('Hemtjänst Norr är stängd.');
  await expect(page.getByTestId('unit-row-K4713')).toContainText('Stängd');
  await expect(page.getByTestId('unit-edit-K4713')).toHaveCount(0);
  await page.screenshot({ path: `${SCREENS}/unit-portal-organisation.png`, fullPage: true });
  await expect(admin('tokens.order', { unitId: north, quantity: 1, priceOre: 35_000 })).rejects.toThrow(/"code":"unit-closed"/);
});
