import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { generateSync } from 'otplib';
import { apiSession, firstRunByApi, logInWithPassword, typeOnKeypad, type Api } from '../support/staff-session';
import { createMunicipalityUnits, createPerson, SHOWN_ID_DOCUMENT } from '../support/station-scene';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host-process';

let host: RunningWebHost;
let api: Api;
let adminSecret = '';
let anna = 0;
const SCREENS = 'test-results/screens';

// RFC 4226 appendix D: the seed "12345678901234567890" shows 755224, 287082, 359152 … at counters 0, 1, 2
const RFC4226_SEED_HEX = Buffer.from('12345678901234567890', 'ascii').toString('hex');
const RFC4226_CODES = ['755224', '287082', '359152'];
const TOTP_SEED = Buffer.from('kortstation-totp-e2e', 'ascii');
const VENDOR_CSV = ['Serial;Secret;Type;Digits;Interval', `HOTP-RFC;${RFC4226_SEED_HEX};hotp;6;30`, `TOTP-E2E;${TOTP_SEED.toString('hex')};totp;6;30`].join('\r\n');

/** RFC 6238 with 30 s steps, at `step` steps from now. */
const totpCode = (step = 0) => generateSync({ secret: TOTP_SEED, epoch: Math.floor(Date.now() / 1000) + step * 30 });
/** A code the TOTP token shows nowhere near now. */
function wrongTotpCode(): string {
  const near = new Set(Array.from({ length: 41 }, (_, index) => totpCode(index - 20)));
  let candidate = 100_000;
  while (near.has(String(candidate))) candidate++;
  return String(candidate);
}

test.beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  host = await startWebHostProcess();
  api = await apiSession(host);
  adminSecret = await firstRunByApi(api, 'Akademiska, ingång 70');
  const [unit] = await createMunicipalityUnits(api, [{ name: 'Hemtjänst Öst', reference: 'K4711' }]);
  anna = await createPerson(api, { firstName: 'Anna', surname: 'Berg', personnummer: '198507099805', unitIds: [unit!] });
});
test.afterAll(async () => {
  await host.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });

async function check(page: Page, serial: string | null, code: string): Promise<void> {
  await page.getByRole('button', { name: 'Börja om' }).click();
  if (serial !== null) await page.getByTestId('token-serial').fill(serial);
  await page.getByTestId('token-serial-next').click();
  await typeOnKeypad(page, code);
}

test('"Fungerar dosan?" accepts the live code of an imported seed and refuses a wrong or used one', async ({ page }, testInfo) => {
  await logInWithPassword(page, host, '/tokens', adminSecret);
  const file = testInfo.outputPath('dosor.csv');
  writeFileSync(file, VENDOR_CSV);
  await page.getByTestId('tokens-import-file').setInputFiles(file);
  await page.getByTestId('tokens-import-unit').fill('K4711');
  await page.getByTestId('tokens-import-submit').click();
  await expect(page.getByTestId('tokens-message')).toContainText('2');
  await expect(page.getByTestId('tokens-stock').getByRole('row', { name: /K4711/ })).toContainText('2');
  // Anna's token is linked with its first code, so its counter stands at 1
  await api('tokens.issue', { idDocument: SHOWN_ID_DOCUMENT, personId: anna, category: 'kommunal', serial: 'HOTP-RFC', code: RFC4226_CODES[0] });

  await page.getByTestId('tokens-check-link').click();
  await expect(page.getByRole('heading', { name: 'Fungerar dosan?' })).toBeVisible();
  const result = page.getByTestId('token-check-result');

  // no serial: the code alone finds the token it came from
  await check(page, null, totpCode());
  await expect(result).toContainText('Koden stämmer: dosan fungerar.');
  await expect(result).toContainText('TOTP-E2E · I lager');
  await shot(page, 'token-check-live-code');

  await check(page, 'TOTP-E2E', wrongTotpCode());
  await expect(result).toContainText('Koden stämmer inte med någon dosa.');
  await expect(result.getByRole('listitem')).toHaveCount(0);
  await shot(page, 'token-check-wrong-code');

  await check(page, 'HOTP-RFC', RFC4226_CODES[1]!);
  await expect(result).toContainText('Koden stämmer: dosan fungerar.');
  await expect(result).toContainText('HOTP-RFC · Utlämnad · Anna Berg');
  // a code the token has shown before is spent
  await check(page, 'HOTP-RFC', RFC4226_CODES[1]!);
  await expect(result).toContainText('Koden stämmer inte med någon dosa.');
  await check(page, 'HOTP-RFC', RFC4226_CODES[2]!);
  await expect(result).toContainText('HOTP-RFC · Utlämnad · Anna Berg');

  const history = await api<{ events: { action: string }[] }>('tokens.history', { serial: 'HOTP-RFC' });
  expect(history.events.filter((event) => event.action === 'checked')).toHaveLength(2);
});
