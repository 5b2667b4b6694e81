// Notes in the page when the start screen's elements reach the screen, on the same epoch clock as main's event times.
import type { Page } from '@playwright/test';
import { eventTime } from '@shared/event-time';

/** The elements a card's arrival and removal bring on screen. */
const WATCHED = {
  running: '.card-test .card-test-running',
  verdict: '[data-test="verdict"]',
  'insert-card': '.start > h1.headline',
} as const;
export type Watched = keyof typeof WATCHED;

export interface PaintStamp {
  /** Vue has patched the element into the DOM (a mutation observer runs right after its update). */
  inDomAt: number;
  /** Chromium's element timing: when the frame that first shows the element was presented. */
  paintedAt: number;
}

/**
 * Evaluated as a string: tsx's helpers are not defined inside the page, and the kiosk's CSP rightly forbids it,
 * so the bench's browser context bypasses CSP. Element timing reports an element once `elementtiming` names it,
 * which the probe does as soon as the element is in the DOM, before it is painted.
 */
export async function installPaintProbe(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const watched = ${JSON.stringify(WATCHED)};
    const epoch = (sinceOrigin) => performance.timeOrigin + sinceOrigin;
    window.paintStamps = {};
    const waiting = new Map();
    // waits without polling: a probe that woke the page every frame would take CPU from what it measures
    window.paintStamp = (kind) => new Promise((resolve, reject) => {
      if (window.paintStamps[kind]?.paintedAt !== undefined) return resolve(window.paintStamps[kind]);
      waiting.set(kind, resolve);
      setTimeout(() => reject(new Error(kind + ' was not painted within 10 s')), 10000);
    });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const stamp = window.paintStamps[entry.identifier];
        if (!stamp || stamp.paintedAt !== undefined) continue;
        stamp.paintedAt = epoch(entry.renderTime);
        waiting.get(entry.identifier)?.(stamp);
        waiting.delete(entry.identifier);
      }
    }).observe({ type: 'element' });
    new MutationObserver((records) => {
      const inDomAt = epoch(performance.now());
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (!(node instanceof Element)) continue;
          for (const [kind, selector] of Object.entries(watched)) {
            const element = node.matches(selector) ? node : node.querySelector(selector);
            if (!element || window.paintStamps[kind]) continue;
            element.setAttribute('elementtiming', kind);
            window.paintStamps[kind] = { inDomAt };
          }
        }
      }
    }).observe(document.body, { subtree: true, childList: true });
  })()`);
}

export async function clearPaintStamps(page: Page): Promise<void> {
  await page.evaluate('window.paintStamps = {}');
}

export function paintStamp(page: Page, kind: Watched): Promise<PaintStamp> {
  return page.evaluate<PaintStamp>(`window.paintStamp(${JSON.stringify(kind)})`);
}

/** How far the page's epoch clock is from this process's (main's is Node's too): the smallest of a few round trips bounds the error. */
export async function clockOffset(page: Page): Promise<{ offset: number; within: number }> {
  let best = { offset: 0, within: Number.POSITIVE_INFINITY };
  for (let n = 0; n < 10; n++) {
    const sent = eventTime();
    const pageTime = await page.evaluate<number>('performance.timeOrigin + performance.now()');
    const received = eventTime();
    if ((received - sent) / 2 < best.within) best = { offset: pageTime - (sent + received) / 2, within: (received - sent) / 2 };
  }
  return best;
}
