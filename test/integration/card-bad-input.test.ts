// Cards that answer badly over the real pcscd: garbage with 9000, silence, state lost mid-probe. No SITHS card or "kortet svarar inte"; never a hang, a crash or "damaged".
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardTestReport } from '@shared/card-report';
import { runCardTest } from '../../src-main/card/card-test';
import { ReaderService } from '../../src-main/card/readers';
import type { CardApplet } from '../sim/applet';
import { createLayout } from '../sim/layouts';
import { ATRS, createScenario } from '../sim/scenarios';
import { type InsertOptions, insertCard } from '../sim/vpcd';
import { nextEvent } from '../support/events';
import { READER_1 } from '../support/pcscd';

/** Short, so a silent card is given up on quickly; the station's own limit is longer. */
const RESPONSE_TIMEOUT_MS = 1000;
/** Far beyond RESPONSE_TIMEOUT_MS: a report still missing by then waits for the card to leave. */
const GIVE_UP_MS = 15_000;

const garbageCard: CardApplet = {
  atr: ATRS.unknown,
  reset: () => undefined,
  process: () => Uint8Array.from([...randomBytes(1 + (randomBytes(1)[0]! % 40)), 0x90, 0x00]),
};

/** `inner`, but every `period`-th command finds the card freshly reset: nothing selected, nothing verified. */
function resettingEvery(inner: CardApplet, period: number): CardApplet {
  let count = 0;
  return {
    atr: inner.atr,
    reset: () => inner.reset(),
    process(command) {
      if (++count % period === 0) inner.reset();
      return inner.process(command);
    },
  };
}

describe('bad cards over pcscd', () => {
  const readers = new ReaderService({ allowVirtualReaders: true });

  beforeAll(async () => {
    readers.start();
    await readers.ready();
  });
  afterAll(() => readers.stop());

  /**
   * Runs the card test and takes the card out afterwards, or after GIVE_UP_MS if the report has not come by then:
   * only removal frees pcscd from a command the card never answered. `whileInserted`: the report came first.
   */
  async function testCard(applet: CardApplet, options: Omit<InsertOptions, 'reader'> = {}): Promise<{ report: CardTestReport; whileInserted: boolean }> {
    const inserted = nextEvent(readers, 'card-inserted', (event) => event.reader === READER_1);
    const card = await insertCard(applet, { ...options, reader: 1 });
    let takenOut = false;
    const removed = nextEvent(readers, 'card-removed', (event) => event.reader === READER_1, GIVE_UP_MS + 10_000);
    const takeOut = async (): Promise<void> => {
      if (takenOut) return;
      takenOut = true;
      await card.remove();
    };
    const giveUp = setTimeout(() => void takeOut(), GIVE_UP_MS);
    try {
      const { atr } = await inserted;
      const report = await readers.withCard(READER_1, (transmit) =>
        runCardTest(transmit, { readerName: READER_1, atr: Buffer.from(atr, 'hex'), trustedRoots: [], crls: [], now: new Date(), responseTimeoutMs: RESPONSE_TIMEOUT_MS }),
      );
      return { report, whileInserted: !takenOut };
    } finally {
      clearTimeout(giveUp);
      await takeOut();
      await removed;
    }
  }

  it('a card answering every probe with 9000 and garbage is no SITHS card', async () => {
    const { report } = await testCard(garbageCard);
    expect(report.outcome).toBe('complete');
    expect(report.findings.map((finding) => finding.code)).toEqual(['unknown-card', 'card-identified']);
  });

  it.each([1, 4])('a card that goes silent at its command %i is "kortet svarar inte" while it is still in the reader', { timeout: GIVE_UP_MS + 20_000 }, async (silentFrom) => {
    const healthy = await createScenario('healthy', 'pkcs15');
    let commands = 0;
    const { report, whileInserted } = await testCard(healthy.applet, { silentTo: () => ++commands >= silentFrom });
    expect(whileInserted).toBe(true);
    expect(report.findings.map((finding) => finding.code)).toEqual(['card-not-responding']);
    expect(report.findings[0]?.message).toContain('Kortet svarar inte');
  });

  it('the reader works again for the next card once a silent card is taken out', { timeout: GIVE_UP_MS + 20_000 }, async () => {
    const healthy = await createScenario('healthy', 'pkcs15');
    await testCard(healthy.applet, { silentTo: () => true });
    const { report } = await testCard(garbageCard);
    expect(report.findings.map((finding) => finding.code)).toEqual(['unknown-card', 'card-identified']);
  });

  it.each([2, 3, 5])('a card that resets every %i commands mid-probe is never called damaged', async (period) => {
    const applet = resettingEvery((await createLayout('applet-first')).applet, period);
    const { report } = await testCard(applet);
    expect(report.outcome).toBe('complete');
    const codes = report.findings.map((finding) => finding.code);
    expect(codes).not.toContain('card-data-corrupt');
    expect(codes.includes('unknown-card') || codes.includes('card-not-responding')).toBe(true);
  });
});
