import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { CardTestState } from '@shared/contract';
import { createScenario, SCENARIO_CARD, type CardIdentity, type ScenarioName } from '../sim/scenarios';
import { insertCard, type InsertedCard } from '../sim/vpcd';
import { READER_0, READER_1 } from '../support/pcscd';
import { apiLogin, apiSession, firstRunByApi, logInWithPassword, type Api } from '../support/staff-session';
import { createPerson, readyCardOrder } from '../support/station-scene';
import { writeTrustDir } from '../support/trust-dir';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';
import { openCounterTile, openAdministration } from '../support/counter-nav';

const SCREENS = 'test-results/screens';
const DAY_MS = 86_400_000;
const CECILIA_CARD = '97522690000011112222';
const DAVID: CardIdentity = { serial: '97522690000033334444', holder: { name: 'David Lind', hsaId: 'SE2321000016-2c3d' } };

let host: RunningWebHost | null = null;
let adminSecret = '';
const cards: InsertedCard[] = [];
const isoDate = (at: Date) => at.toISOString().slice(0, 10);
const davidsLastDay = isoDate(new Date(Date.now() + 20 * DAY_MS));

/** Hands a card over at the counter: the card in the reader is tested, then recorded as collected against an ID document. */
async function handOver(api: Api, orderId: number, scenario: ScenarioName, card: CardIdentity, reader: string): Promise<void> {
  const { applet } = await createScenario(scenario, 'pkcs15', { card });
  cards.push(await insertCard(applet, { reader: reader === READER_0 ? 0 : 1 }));
  await expect
    .poll(async () => {
      const results = await api<CardTestState[]>('card.results', {});
      const done = results.find((result) => result.reader === reader && result.state === 'done');
      return done?.state === 'done' ? done.report.cardSerial : null;
    }, { timeout: 20_000 })
    .toBe(card.serial);
  await api('cardOrders.handover', { orderId, reader, idDocument: { type: 'pass', lastFour: '12AB', expiry: '2031-05-31', note: null }, photoMatchesFace: true, pinLetterBrought: true });
}

/**
 * Cecilia's card was made ready 100 days ago (the station's clock set back) and never collected; Frida's is ready today.
 * Anna collects a card whose certificate ends in 40 days; David collects a sound card and leaves in 20 days.
 */
test.beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  host = await startWebHostProcess({ startAt: new Date(Date.now() - 100 * DAY_MS) });
  const before = await apiSession(host);
  adminSecret = await firstRunByApi(before, 'Akademiska, ingång 70');
  const cecilia = await createPerson(before, { firstName: 'Cecilia', surname: 'Ek', personnummer: '198002022385', employmentType: 'region' });
  await readyCardOrder(before, cecilia, CECILIA_CARD);
  await host.stop();

  const { trustedRoots } = await createScenario('healthy');
  host = await startWebHostProcess({ dataDir: host.dataDir, args: ['--trust', writeTrustDir(trustedRoots)] });
  const api = await apiLogin(host, adminSecret);
  const frida = await createPerson(api, { firstName: 'Frida', surname: 'Ek', personnummer: '197505052386', employmentType: 'region' });
  await readyCardOrder(api, frida, '97522690000055556666');
  const [annaFirst, annaSurname] = SCENARIO_CARD.holder.name.split(' ') as [string, string];
  const anna = await createPerson(api, { firstName: annaFirst, surname: annaSurname, personnummer: '198507099805', hsaId: SCENARIO_CARD.holder.hsaId, employmentType: 'region' });
  await handOver(api, await readyCardOrder(api, anna, SCENARIO_CARD.serial), 'auth-expiring', SCENARIO_CARD, READER_0);
  const david = await createPerson(api, { firstName: 'David', surname: 'Lind', personnummer: '197001012389', hsaId: DAVID.holder.hsaId, employmentType: 'region', employmentEnd: davidsLastDay });
  await handOver(api, await readyCardOrder(api, david, DAVID.serial), 'healthy', DAVID, READER_1);
});
test.afterAll(async () => {
  for (const card of cards) await card.remove();
  await host?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });

test('the card follow-up lists the uncollected, the expiring and the leaving, and a blocked uncollected card leaves its list', async ({ page }) => {
  await logInWithPassword(page, host!, '/cards/worklist', adminSecret);
  const toBlock = page.getByTestId('worklist-to-block');
  const expiring = page.getByTestId('worklist-expiring');
  const leaving = page.getByTestId('worklist-employment-ending');

  await expect(toBlock.getByRole('row')).toHaveCount(1);
  await expect(toBlock).toContainText('Cecilia Ek');
  await expect(toBlock).toContainText(CECILIA_CARD);
  await expect(expiring.getByRole('row')).toHaveCount(1);
  await expect(expiring).toContainText('Anna Testsson');
  await expect(expiring).toContainText('40 dagar kvar');
  await expect(leaving.getByRole('row')).toHaveCount(1);
  await expect(leaving).toContainText('David Lind');
  await expect(leaving).toContainText(davidsLastDay);
  await shot(page, 'card-worklist');

  await toBlock.getByRole('link', { name: 'Cecilia Ek' }).click();
  await expect(page.getByTestId('card-order')).toContainText('Ska spärras');

  await openCounterTile(page, 'Spärra');
  await page.getByTestId('block-card-number').fill(CECILIA_CARD);
  await page.getByTestId('block-card-number').press('Enter');
  await page.getByTestId('block-reason').selectOption('uncollected');
  await page.getByTestId('block-reported-by').fill('Kortbevakningen');
  await page.getByTestId('record-block').click();
  await expect(page.getByTestId('block-request')).toContainText('Ej uthämtat');

  await openAdministration(page, 'Kortbevakning');
  await expect(toBlock).not.toContainText('Cecilia Ek');
  await expect(toBlock).toContainText('Inget att göra.');
  await expect(expiring).toContainText('Anna Testsson');
  await expect(leaving).toContainText('David Lind');
  await shot(page, 'card-worklist-after-block');
});
