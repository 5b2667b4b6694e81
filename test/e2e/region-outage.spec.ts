// The region database stops and starts again during a kiosk session: the counter is told, nothing is saved half or unaudited, and the station recovers by itself.
import { expect, test } from '@playwright/test';
import { freshPostgresDatabase, startPostgres, type PostgresCluster } from '../support/postgres';
import { apiSession, firstRunByApi, logInWithPassword } from '../support/staff-session';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

let cluster: PostgresCluster;
let host: RunningWebHost;

test.beforeAll(async () => {
  cluster = startPostgres();
  const url = await freshPostgresDatabase(cluster.url);
  host = await startWebHostProcess({ env: { KORTSTATION_DATABASE_URL: url } });
});
test.afterAll(async () => {
  await host?.stop();
  cluster?.stop();
});

test('a save during the outage is refused in Swedish, the banner comes and goes, and what was saved before and after is kept', async ({ page }) => {
  const api = await apiSession(host);
  const adminSecret = await firstRunByApi(api, 'Akademiska, ingång 70');
  await logInWithPassword(page, host, '/faq/edit', adminSecret);
  const answer = page.getByTestId('faq-answer-lostPuk');
  const message = page.getByTestId('faq-edit-message');

  await answer.fill('Före avbrottet.');
  await page.getByTestId('faq-save').click();
  await expect(message).toHaveText('Texterna är sparade.');

  cluster.pause();
  try {
    await answer.fill('Under avbrottet.');
    await page.getByTestId('faq-save').click();
    await expect(message).toHaveText('Ingen kontakt med regiondatabasen. Inget har gjorts eller sparats; försök igen när kontakten är tillbaka.');
    await expect(page.getByTestId('register-down')).toContainText('Ingen kontakt med regiondatabasen');
  } finally {
    cluster.resume();
  }
  await expect(page.getByTestId('register-down')).toBeHidden({ timeout: 15_000 });

  await answer.fill('Efter avbrottet.');
  await page.getByTestId('faq-save').click();
  await expect(message).toHaveText('Texterna är sparade.');
  await page.goto(`${host.origin}/#/faq`);
  await page.locator('[data-question="lostPuk"] [data-test="faq-question"]').click();
  await expect(page.locator('[data-question="lostPuk"] [data-test="faq-answer"]')).toHaveText('Efter avbrottet.');
  // both saves that went through are in the trail, the refused one is not, and the chain holds
  expect(await api('audit.verify', {})).toMatchObject({ ok: true });
  const saved = await api<{ entries: { outcome: string }[] }>('audit.query', { limit: 10, action: 'faq.saved' });
  expect(saved.entries.map((entry) => entry.outcome)).toEqual(['ok', 'ok']);
});
