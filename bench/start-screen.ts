// Browser-mode cold start to the first screen.
import { launchChromium } from './browser';
import { READER_0 } from '../test/support/pcscd';
import { startWebHostProcess } from '../test/support/web-host-process';

export async function benchStartScreen(): Promise<void> {
  const browser = await launchChromium();
  try {
    const spawnedAt = performance.now();
    const host = await startWebHostProcess();
    const urlAt = performance.now();
    const page = await (await browser.newContext()).newPage();
    await page.goto(host.url);
    await page.locator(`[data-test="reader"][data-reader="${READER_0}"]`).waitFor();
    const shownAt = performance.now();
    console.log(`browser mode cold start: host ready ${(urlAt - spawnedAt).toFixed(0)} ms, first screen with readers ${(shownAt - spawnedAt).toFixed(0)} ms`);
    await host.stop();
  } finally {
    await browser.close();
  }
}
