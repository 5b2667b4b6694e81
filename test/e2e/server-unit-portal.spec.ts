// The unit portal over HTTPS against server mode (issue 13): a unit administrator reaches no other unit's people, neither by the page's address nor by a call a script in the page makes with the session's CSRF token.
import { expect, test, type Page } from '@playwright/test';
import { AccountCodes, logInOnPage } from '../support/account-pages';
import { invitationEnv, inviteAndActivate } from '../support/invited-staff';
import { callFromPage, registerAtKiosk, serveScene } from '../support/server-scene';
import type { RunningServer } from '../support/server-process';
import { startSmtp, type RunningSmtp } from '../support/smtp';
import { createMunicipalityUnits, createPerson } from '../support/station-scene';

const ULLA = { username: 'ulla.enhet', displayName: 'Ulla Enhetschef', password: 'Enhetskort42' };
const NOT_HERS = 'Personen finns inte, eller ligger utanför dina enheter.';

let smtp: RunningSmtp;
let server: RunningServer;
const ulla = new AccountCodes();
let anna = 0;
let dan = 0;
let north = 0;

test.beforeAll(async () => {
  smtp = await startSmtp();
  // Ulla administers Hemtjänst Öst and Väst; Dan works in Hemtjänst Norr
  const scene = await registerAtKiosk(async (admin, kiosk) => {
    const [east, west, northId] = await createMunicipalityUnits(admin, [
      { name: 'Hemtjänst Öst', reference: 'K4711' },
      { name: 'Hemtjänst Väst', reference: 'K4712' },
      { name: 'Hemtjänst Norr', reference: 'K4713' },
    ]);
    north = northId!;
    anna = await createPerson(admin, { firstName: 'Anna', surname: 'Berg', personnummer: '198507099805', unitIds: [east!] });
    await createPerson(admin, { firstName: 'Cecilia', surname: 'Lund', personnummer: '196505052388', unitIds: [west!] });
    dan = await createPerson(admin, { firstName: 'Dan', surname: 'Norrman', personnummer: '199001011239', unitIds: [north] });
    ulla.secret = (await inviteAndActivate(admin, kiosk, smtp, { ...ULLA, role: 'unit-admin', unitIds: [east!, west!] })).secret;
  }, invitationEnv(smtp));
  server = await serveScene(scene);
});
test.afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
});

async function logInAsUlla(page: Page, path: string): Promise<void> {
  await logInOnPage(page, `${server.origin}/#${path}`, { username: ULLA.username, password: ULLA.password, otp: await ulla.next(), displayName: ULLA.displayName });
}

test.use({ ignoreHTTPSErrors: true });

test("another unit's person is not shown at their address, while her own is", async ({ page }) => {
  await logInAsUlla(page, `/people/${anna}`);
  await expect(page.getByTestId('person-name')).toHaveText('Anna Berg');

  await page.goto(`${server.origin}/#/people/${dan}`);
  await expect(page.getByTestId('person-error')).toHaveText(NOT_HERS);
  await expect(page.getByTestId('person-name')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText('Norrman');

  await page.goto(`${server.origin}/#/people`);
  await expect(page.getByTestId('people-list-rows').getByTestId('people-list-row')).toHaveCount(2);
  await expect(page.getByTestId('people-list')).not.toContainText('Norrman');
});

test("a call from her page with the session's CSRF token is refused another unit's people", async ({ page }) => {
  await logInAsUlla(page, '/people');
  // the same call reaches her own person: what refuses Dan is his unit, not the call
  expect(await callFromPage(page, 'people.get', { id: anna })).toMatchObject({ status: 200, body: { ok: true } });
  expect(await callFromPage(page, 'people.get', { id: dan })).toMatchObject({ status: 200, body: { ok: false, code: 'not-found' } });
  expect(await callFromPage(page, 'people.list', { unitId: north, status: 'all' })).toMatchObject({ status: 200, body: { ok: false, code: 'forbidden' } });
  const everyone = await callFromPage(page, 'people.list', { unitId: null, status: 'all' });
  expect(everyone.body.ok).toBe(true);
  expect(JSON.stringify(everyone.body.value)).not.toContain('Norrman');
  expect(JSON.stringify(everyone.body.value)).toContain('Berg');
});
