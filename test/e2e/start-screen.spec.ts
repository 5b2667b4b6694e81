import { expect, test } from '@playwright/test';
import { insertCard } from '../sim/vpcd';
import { createMinimalApplet, MINIMAL_ATR } from '../sim/minimal-applet';
import { READER_0, READER_1, startPcscd, stopPcscd } from '../support/pcscd';
import { admit, startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

let host: RunningWebHost;

test.beforeAll(async () => {
  host = await startWebHostProcess();
});
test.afterAll(async () => {
  await host.stop();
});

const tile = (page: import('@playwright/test').Page, reader: string) => page.locator(`[data-test="reader"][data-reader="${reader}"]`);

test('the start screen shows a card going in and out', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Sätt i kortet' })).toBeVisible();
  await expect(tile(page, READER_0)).toHaveAttribute('data-card', 'absent');
  await expect(tile(page, READER_1)).toHaveAttribute('data-card', 'absent');
  // the secret leaves the address bar
  expect(page.url()).not.toContain('secret=');

  const card = await insertCard(createMinimalApplet(), { reader: 0 });
  await expect(tile(page, READER_0)).toHaveAttribute('data-card', 'present');
  await expect(tile(page, READER_0)).toContainText('Kort isatt');
  await expect(tile(page, READER_0)).toContainText(Buffer.from(MINIMAL_ATR).toString('hex'));
  await expect(tile(page, READER_1)).toHaveAttribute('data-card', 'absent');
  await page.screenshot({ path: 'test-results/screens/start-card-inserted.png' });

  await card.remove();
  await expect(tile(page, READER_0)).toHaveAttribute('data-card', 'absent');
  await page.screenshot({ path: 'test-results/screens/start-no-card.png' });
});

test('switches to English and back', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Insert the card' })).toBeVisible();
  await page.getByRole('button', { name: 'Svenska' }).click();
  await expect(page.getByRole('heading', { name: 'Sätt i kortet' })).toBeVisible();
});

test('shows that the PC/SC service is down and recovers by itself', async ({ page }) => {
  await page.goto(host.url);
  await expect(tile(page, READER_0)).toBeVisible();
  stopPcscd();
  try {
    await expect(page.getByText('Kortläsartjänsten är inte igång')).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/start-pcsc-down.png' });
  } finally {
    startPcscd();
  }
  await expect(page.getByText('Kortläsartjänsten är inte igång')).toBeHidden({ timeout: 15_000 });
  await expect(tile(page, READER_0)).toBeVisible();
});

test('the API refuses calls without a session and from other origins', async ({ request }) => {
  const withoutSession = await request.post(`${host.origin}/api/call/readers.list`, { data: {} });
  expect(withoutSession.status()).toBe(401);
  const wrongCookie = await request.post(`${host.origin}/api/call/readers.list`, { data: {}, headers: { cookie: 'kortstation-session=nope' } });
  expect(wrongCookie.status()).toBe(401);
  const events = await request.get(`${host.origin}/api/events`);
  expect(events.status()).toBe(401);
  const cookie = (await admit(host))!;
  const foreign = await request.post(`${host.origin}/api/call/readers.list`, { data: {}, headers: { cookie, origin: 'http://evil.example' } });
  expect(foreign.status()).toBe(403);
  const good = await request.post(`${host.origin}/api/call/readers.list`, { data: {}, headers: { cookie } });
  expect(good.status()).toBe(200);
  expect(await good.json()).toMatchObject({ ok: true, value: { serviceUp: true } });
  const unknown = await request.post(`${host.origin}/api/call/nope.nothing`, { data: {}, headers: { cookie } });
  expect(await unknown.json()).toEqual({ ok: false, code: 'unknown-procedure', message: 'Unknown procedure "nope.nothing"' });
});
