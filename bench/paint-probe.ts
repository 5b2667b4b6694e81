// Notes in the page when the card test's verdict and the reader tile change on screen, on the same epoch clock as main's event times.
import type { Page } from '@playwright/test';

export interface PaintStamp {
  /** 'verdict' when a verdict appears; 'tile-present' / 'tile-absent' when the reader tile changes. */
  kind: string;
  /** Vue has patched the DOM (a mutation observer runs right after its update). */
  inDomAt: number;
  /** The frame with the change has been laid out and painted: a message posted from the next animation frame arrives after that frame's rendering. */
  paintedAt: number;
}

/** Evaluated as a string: tsx's helpers are not defined inside the page, and the kiosk's CSP rightly forbids it, so the bench's context bypasses CSP. */
export async function installPaintProbe(page: Page, readerName: string): Promise<void> {
  await page.evaluate(`(() => {
    const now = () => performance.timeOrigin + performance.now();
    window.paintStamps = [];
    const afterPaint = (kind, inDomAt) => requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => window.paintStamps.push({ kind, inDomAt, paintedAt: now() });
      channel.port2.postMessage(null);
    });
    const isTile = (node) => node instanceof Element && node.matches('[data-test="reader"][data-reader=${JSON.stringify(readerName)}]');
    const hasVerdict = (node) => node instanceof Element && (node.matches('[data-test="verdict"]') || node.querySelector('[data-test="verdict"]') !== null);
    new MutationObserver((records) => {
      const inDomAt = now();
      for (const record of records) {
        if (record.type === 'attributes' && isTile(record.target)) afterPaint('tile-' + record.target.getAttribute('data-card'), inDomAt);
        if ([...record.addedNodes].some(hasVerdict)) afterPaint('verdict', inDomAt);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-card'] });
  })()`);
}

export async function clearPaintStamps(page: Page): Promise<void> {
  await page.evaluate('window.paintStamps = []');
}

export async function paintStamp(page: Page, kind: string): Promise<PaintStamp> {
  const find = `window.paintStamps.find((stamp) => stamp.kind === ${JSON.stringify(kind)})`;
  await page.waitForFunction(`${find} !== undefined`, undefined, { timeout: 10_000 });
  return page.evaluate<PaintStamp>(find);
}
