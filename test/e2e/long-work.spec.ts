// Issue 17, item 3: a 10,000-person import shows its work with the count, a cancelled check leaves nothing written, and so does a save cancelled halfway; a token import counts the tokens saved; an export shows its rows and, cancelled, saves no file.
import { writeFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Download } from '@playwright/test';
import type { PersonSummary } from '@shared/contract';
import { csvLine, TEMPLATE_HEADER, testPerson } from '../people-data';
import { generatePskc } from '../sim/pskc-generator';
import { apiLogin, apiSession, firstRunByApi, logInWithPassword } from '../support/staff-session';
import { admit, startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

const PEOPLE = 10_000;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

let host: RunningWebHost;
let adminSecret = '';

/** The event stream of a second window let into the station, read until stopped. */
async function otherWindowEvents(): Promise<{ stop(): Promise<string> }> {
  const cookie = (await admit(host))!;
  const stream = new AbortController();
  const response = await fetch(`${host.origin}/api/events`, { headers: { cookie }, signal: stream.signal });
  let text = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body!) text += decoder.decode(chunk as Uint8Array, { stream: true });
    } catch {
      // the abort below ends the stream
    }
  })();
  return {
    async stop() {
      stream.abort();
      await reading;
      return text;
    },
  };
}

test.beforeAll(async () => {
  host = await startWebHostProcess();
  adminSecret = await firstRunByApi(await apiSession(host), 'Akademiska, ingång 70');
});
test.afterAll(async () => {
  await host.stop();
});

test('a 10,000-person import: a cancelled check writes nothing, the save counts the people saved, and a save cancelled halfway writes nothing', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const file = testInfo.outputPath('people-10000.csv');
  const people = Array.from({ length: PEOPLE }, (_, n) => testPerson(n));
  writeFileSync(file, [TEMPLATE_HEADER, ...people.map((person) => csvLine(person))].join('\r\n'));
  const api = await apiLogin(host, adminSecret);
  const known = async (): Promise<number> => (await api<PersonSummary[]>('people.search', { query: people[0]!.surname, limit: 50 })).length;

  await logInWithPassword(page, host, '/people/import', adminSecret);
  const progress = page.getByTestId('work-progress');

  // cancelled while the station checks the file: the screen is free at once, and the station's answer, held back until then, is dropped
  const cancelled = deferred();
  await page.route('**/api/call/people.importPreview', async (route) => {
    const response = await route.fetch();
    await cancelled.promise;
    await route.fulfill({ response });
  }, { times: 1 });
  const checked = page.waitForResponse((response) => response.url().endsWith('/api/call/people.importPreview'));
  await page.getByTestId('people-import-file').setInputFiles(file);
  await expect(page.getByTestId('work-progress-label')).toHaveText('Kontrollerar people-10000.csv …');
  await page.screenshot({ path: 'test-results/screens/people-import-checking.png' });
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.map((violation) => violation.id)).toEqual([]);
  await page.getByTestId('work-cancel').click();
  await expect(progress).toHaveCount(0);
  await expect(page.getByTestId('people-import-message')).toHaveText('Avbrutet — ingenting sparades.');
  cancelled.resolve();
  await checked;
  await expect(page.getByTestId('people-import-preview')).toHaveCount(0);
  await expect(page.getByTestId('people-import-run')).toBeDisabled();
  expect(await known()).toBe(0);

  // checked to the end, then saved: Avbryt as soon as the first people are saved rolls the whole transaction back
  await page.getByTestId('people-import-file').setInputFiles(file);
  await expect(page.getByTestId('people-import-preview')).toContainText(`${PEOPLE} nya`, { timeout: 60_000 });
  // the page's own script presses Avbryt the moment the first people are counted as saved: a save of 10,000 people can be over before a poll from here would see it
  await page.evaluate(`{
    new MutationObserver((_, observer) => {
      const counts = document.querySelector('[data-test="work-progress-counts"]');
      if (!counts || !/^[1-9]/.test(counts.textContent)) return;
      window.countAtCancel = counts.textContent;
      document.querySelector('[data-test="work-cancel"]').click();
      observer.disconnect();
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }`);
  await page.getByTestId('people-import-run').click();
  await expect(page.getByTestId('people-import-message')).toHaveText('Avbrutet — ingenting sparades.', { timeout: 30_000 });
  expect(await page.evaluate<string>('window.countAtCancel')).toMatch(/^[1-9][\d\s]* av 10\s000$/);
  await expect(progress).toHaveCount(0);
  expect(await known()).toBe(0);

  // the same file saved to the end, the count on screen growing as the station saves
  // every count the screen shows, as it shows it (the page's own script, kept as text: the tests compile without the DOM's types)
  await page.evaluate(`{
    const seen = (window.seenCounts = []);
    new MutationObserver(() => {
      const counts = document.querySelector('[data-test="work-progress-counts"]')?.textContent;
      if (counts && counts !== seen.at(-1)) seen.push(counts);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }`);
  // another window of the station listens meanwhile: the import's progress is not its business
  const otherWindow = await otherWindowEvents();
  await page.getByTestId('people-import-run').click();
  await expect(page.getByTestId('people-import-message')).toContainText(`${PEOPLE} nya`, { timeout: 60_000 });
  await expect(progress).toHaveCount(0);
  const heardElsewhere = await otherWindow.stop();
  expect(heardElsewhere).toContain(': connected');
  expect(heardElsewhere).not.toContain('work-progress');
  const seen = (await page.evaluate<string[]>('window.seenCounts')).map((counts) => counts.split(' av '));
  expect(seen.every(([, total]) => total!.replace(/\s/g, '') === String(PEOPLE))).toBe(true);
  const saved = seen.map(([done]) => Number(done!.replace(/\s/g, '')));
  expect(new Set(saved).size).toBeGreaterThanOrEqual(3);
  expect(saved).toEqual([...saved].sort((a, b) => a - b));
  expect(await known()).toBeGreaterThan(0);
});

test('an audit export shows how many rows it holds, and once cancelled no file is saved', async ({ page }) => {
  // a station of its own: a third login here would need a one-time code ahead of the clock
  const station = await startWebHostProcess();
  try {
    await logInWithPassword(page, station, '/audit', await firstRunByApi(await apiSession(station), 'Akademiska, ingång 70'));
    await expect(page.getByTestId('audit-table')).toBeVisible();
    const downloads: Download[] = [];
    page.on('download', (download) => downloads.push(download));

    const cancelled = deferred();
    await page.route('**/api/call/audit.export', async (route) => {
      const response = await route.fetch();
      await cancelled.promise;
      await route.fulfill({ response });
    }, { times: 1 });
    const exported = page.waitForResponse((response) => response.url().endsWith('/api/call/audit.export'));
    await page.getByTestId('audit-export').click();
    await expect(page.getByTestId('work-progress-label')).toHaveText(/^Exporterar \d+ rader …$/);
    // the station counts the rows it has made for this window: all of them, since its answer is held back here
    await expect(page.getByTestId('work-progress-counts')).toHaveText(/^([1-9]\d*) av \1$/);
    await page.getByTestId('work-cancel').click();
    await expect(page.getByTestId('export-cancelled')).toHaveText('Avbrutet — ingen fil sparades.');
    await expect(page.getByTestId('work-progress')).toHaveCount(0);
    cancelled.resolve();
    await exported;
    // the same export left to finish saves its file: the check above could have seen one
    const saved = page.waitForEvent('download');
    await page.getByTestId('audit-export').click();
    expect((await saved).suggestedFilename()).toMatch(/\.csv$/);
    expect(downloads).toHaveLength(1);
  } finally {
    await station.stop();
  }
});

test('a token import shows what it imports and how many tokens are saved', async ({ page }, testInfo) => {
  const station = await startWebHostProcess();
  try {
    await logInWithPassword(page, station, '/tokens', await firstRunByApi(await apiSession(station), 'Akademiska, ingång 70'));
    const file = testInfo.outputPath('dosor.pskc');
    writeFileSync(file, generatePskc({ count: 1_000, kind: 'hotp', serialPrefix: 'LW', encryption: 'none' }));
    const looked = deferred();
    await page.route('**/api/call/tokens.import', async (route) => {
      const response = await route.fetch();
      await looked.promise;
      await route.fulfill({ response });
    }, { times: 1 });
    await page.getByTestId('tokens-import-file').setInputFiles(file);
    await page.getByTestId('tokens-import-submit').click();
    await expect(page.getByTestId('work-progress-label')).toHaveText('Importerar dosor.pskc …');
    // the station counts the tokens it has saved for this window: all of them, since its answer is held back here
    await expect(page.getByTestId('work-progress-counts')).toHaveText(/^1\s000 av 1\s000$/);
    await expect(page.getByTestId('work-cancel')).toBeVisible();
    await expect(page.getByTestId('tokens-import-submit')).toBeDisabled();
    looked.resolve();
    await expect(page.getByTestId('tokens-message')).toHaveText('1000 dosor importerades.');
    await expect(page.getByTestId('work-progress')).toHaveCount(0);
  } finally {
    await station.stop();
  }
});
