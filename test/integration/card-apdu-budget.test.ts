// Issue 15's APDU goals over the real pcscd: never more APDUs than OpenSC's pkcs15-tool on the same card, and looking for other layouts costs a healthy SITHS card at most 2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReaderService } from '../../src-main/card/readers';
import {
  HEALTHY_SITHS_CARDS,
  type LayoutReading,
  MAX_PROBING_APDUS_ON_HEALTHY_SITHS,
  YARDSTICK_CARDS,
  createYardstickCard,
  readLayoutBothWays,
} from '../support/layout-yardstick';
import { READER_1 } from '../support/pcscd';

/** One OpenSC process per card; without loopback quickack each of its APDUs waits ~40 ms. */
const CARD_TIMEOUT_MS = 60_000;
/** Layouts of cards that carry no SITHS certificates. */
const WITHOUT_CERTIFICATES = new Set(['foreign-eid']);

describe('APDUs per card test beside OpenSC (counts, never times)', () => {
  const readers = new ReaderService({ allowVirtualReaders: true });

  beforeAll(async () => {
    readers.start();
    await readers.ready();
  });
  afterAll(() => readers.stop());

  it.each(YARDSTICK_CARDS)('%s: our card test sends no more APDUs than pkcs15-tool --list-certificates --list-pins', { timeout: CARD_TIMEOUT_MS }, async (name) => {
    const reading: LayoutReading = await readLayoutBothWays(readers, 1, READER_1, await createYardstickCard(name));
    // the comparison means something only when both read the card: we found what it holds, OpenSC talked to it
    expect(reading.ours.report.outcome).toBe('complete');
    expect(reading.ours.certificates).toBe(WITHOUT_CERTIFICATES.has(name) ? 0 : 2);
    expect(reading.opensc.apdus).toBeGreaterThan(0);
    expect(reading.ours.apdus).toBeGreaterThan(0);
    expect(reading.ours.apdus).toBeLessThanOrEqual(reading.opensc.apdus);
    if (HEALTHY_SITHS_CARDS.has(name)) expect(reading.ours.missed).toBeLessThanOrEqual(MAX_PROBING_APDUS_ON_HEALTHY_SITHS);
  });
});
