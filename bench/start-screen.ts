// Card insert/remove → event on screen, insert → card test verdict on screen, and browser-mode cold start to the first screen.
import { chromium } from '@playwright/test';
import { insertCard } from '../test/sim/vpcd';
import { createMinimalApplet } from '../test/sim/minimal-applet';
import { createScenario } from '../test/sim/scenarios';
import { READER_0 } from '../test/support/pcscd';
import { startWebHostProcess } from '../test/support/web-host-process';
import { summary } from './stats';

const CYCLES = 50;
const REPORT_CYCLES = 20;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu', '--no-first-run'];

export async function benchStartScreen(): Promise<void> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const spawnedAt = performance.now();
    const host = await startWebHostProcess();
    const urlAt = performance.now();
    // the bench's probes are evaluated strings, which the kiosk's CSP rightly forbids
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(host.url);
    const tile = page.locator(`[data-test="reader"][data-reader="${READER_0}"]`);
    await tile.waitFor();
    const shownAt = performance.now();
    console.log(`browser mode cold start: host ready ${(urlAt - spawnedAt).toFixed(0)} ms, first screen with readers ${(shownAt - spawnedAt).toFixed(0)} ms`);

    // the page stamps each change of the tile's card state with the wall clock, which both sides share;
    // a string, because tsx's helpers are not defined inside the page
    await page.evaluate(`(() => {
      const element = document.querySelector('[data-test="reader"][data-reader="${READER_0}"]');
      window.stamps = [];
      new MutationObserver(() => window.stamps.push({ state: element.getAttribute('data-card'), at: Date.now() }))
        .observe(element, { attributes: true, attributeFilter: ['data-card'] });
    })()`);

    const insertLatency: number[] = [];
    const removeLatency: number[] = [];
    const stampCount = (): Promise<number> => page.evaluate<number>('window.stamps.length');
    const lastStamp = (): Promise<number> => page.evaluate<number>('window.stamps.at(-1).at');
    const nextStamp = (count: number) => page.waitForFunction(`window.stamps.length > ${count}`);
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      let before = await stampCount();
      const connectAt = Date.now();
      const card = await insertCard(createMinimalApplet(), { reader: 0 });
      await nextStamp(before);
      insertLatency.push((await lastStamp()) - connectAt);
      before = await stampCount();
      const removeAt = Date.now();
      await card.remove();
      await nextStamp(before);
      removeLatency.push((await lastStamp()) - removeAt);
    }
    console.log(`card inserted → on screen (${CYCLES} cycles): ${summary(insertLatency)}`);
    console.log(`card removed → on screen (${CYCLES} cycles): ${summary(removeLatency)}`);

    for (const profile of ['pkcs15', 'piv'] as const) {
      const reportLatency: number[] = [];
      for (let cycle = 0; cycle < REPORT_CYCLES; cycle++) {
        const { applet } = await createScenario('healthy', profile);
        const connectAt = performance.now();
        const card = await insertCard(applet, { reader: 0 });
        await page.locator('[data-test="verdict"]').waitFor();
        reportLatency.push(performance.now() - connectAt);
        await card.remove();
        await page.locator('[data-test="verdict"]').waitFor({ state: 'detached' });
      }
      console.log(`card inserted → card test verdict on screen, ${profile} (${REPORT_CYCLES} cycles, includes pcscd's ~400 ms presence poll): ${summary(reportLatency)}`);
    }
    await host.stop();
  } finally {
    await browser.close();
  }
}
