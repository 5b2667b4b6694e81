// How the card test finds an application and reads status words as real cards send them; and cards that answer badly or not at all.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import appletTable from '../../resources/card-applets.json';
import { type RawTransmit, interpretStatus, toHex } from '../../src-main/card/apdu';
import { runCardTest } from '../../src-main/card/card-test';
import { pinStatusFrom } from '../../src-main/card/profiles/pin-status';
import { retriesFromMetadata } from '../../src-main/card/profiles/piv';
import { status } from '../sim/applet';
import { parseCommand } from '../sim/command';
import { createLayout } from '../sim/layouts';
import { ATRS, createScenario } from '../sim/scenarios';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

const PKCS15_AID = 'a000000063504b43532d3135';
const ESIGN_AID = 'a000000167455349474e';
const ISO_7816_15_PREFIX = 'e828bd080f';
const PIV_AID = 'a000000308000010000100';
/** A PIN or PUK whose counter the card will not show. */
const UNKNOWN = { triesLeft: null, blocked: false };
const options = (atr: Uint8Array, responseTimeoutMs?: number) => ({ readerName: 'r', atr, trustedRoots: [], crls: [], now: new Date(), responseTimeoutMs });

/** A card that answers every command with `answer`, recording the SELECTs it was sent (P1 and data, hex). */
function recordingCard(answer: (command: Uint8Array) => Uint8Array): { transmit: RawTransmit; selects: string[] } {
  const selects: string[] = [];
  const transmit: RawTransmit = async (bytes) => {
    const command = parseCommand(bytes);
    if (command?.ins === 0xa4) selects.push(`${command.p1.toString(16).padStart(2, '0')}:${toHex(command.data)}`);
    return answer(bytes);
  };
  return { transmit, selects };
}

describe('status words as real cards send them', () => {
  it('a blocked PIN answers 63C0 or 6983: both are blocked', () => {
    for (const sw of [0x63c0, 0x6983]) expect(pinStatusFrom('auth', interpretStatus(sw))).toEqual({ role: 'auth', triesLeft: 0, blocked: true });
  });

  it('PUK tries the card will not show (6A86, 6A88, 6982) are unknown, never an error', () => {
    for (const sw of [0x6a86, 0x6a88, 0x6982]) expect(pinStatusFrom('puk', interpretStatus(sw))).toEqual({ role: 'puk', ...UNKNOWN });
  });

  it('the PIV metadata command gives the remaining tries of tag 06; anything else gives none', () => {
    expect(retriesFromMetadata(Uint8Array.of(0x01, 0x01, 0xff, 0x05, 0x01, 0x00, 0x06, 0x02, 0x0a, 0x07))).toBe(7);
    expect(retriesFromMetadata(Uint8Array.of(0x01, 0x01, 0xff))).toBeNull();
    expect(retriesFromMetadata(Uint8Array.of(0x06, 0x09, 0x01))).toBeNull();
  });

  it.each([['6A82', 0x6a82], ['6D00', 0x6d00], ['6E00', 0x6e00]] as const)('a card answering %s to every probe is no SITHS card, not a damaged one', async (_name, sw) => {
    const { transmit } = recordingCard(() => status(sw));
    const report = await runCardTest(transmit, options(ATRS.unknown));
    expect(report.profile).toBe('unknown');
    expect(report.findings.map((f) => f.code)).toEqual(['unknown-card', 'card-identified']);
  });
});

describe('where the card test looks for the application', () => {
  it('with no EF.DIR: the known AIDs, then 3F00/5015, then PIV', async () => {
    const { transmit, selects } = recordingCard(() => status(0x6a82));
    await runCardTest(transmit, options(ATRS.unknown));
    expect(selects.filter((select) => select.startsWith('08:') || select.startsWith('04:'))).toEqual([
      '08:2f00',
      `04:${PKCS15_AID}`,
      `04:${ESIGN_AID}`,
      `04:${ISO_7816_15_PREFIX}`,
      '08:50155031',
      `04:${PIV_AID}`,
    ]);
  });

  it("when the MF does not answer (6986): the applets of OpenSC's drivers in the table's order, then PIV", async () => {
    const { transmit, selects } = recordingCard((bytes) => status(parseCommand(bytes)?.p1 === 0x04 ? 0x6999 : 0x6986));
    await runCardTest(transmit, options(ATRS.unknown));
    const aids = selects.filter((select) => select.startsWith('04:')).map((select) => select.slice(3));
    const table = appletTable.applets.map((applet) => applet.aid.toLowerCase());
    expect(aids).toEqual([PKCS15_AID, ESIGN_AID, ISO_7816_15_PREFIX, ...table, PIV_AID]);
  });

  it.each([
    ['only without response data (P2 0C)', [0x04, 0x00]],
    ['with FCI (P2 00) but not FCP', [0x04]],
  ] as const)('a card that answers SELECT %s is read in full', async (_name, refusedP2) => {
    const scenario = await createScenario('healthy', 'pkcs15');
    const { transmit } = recordingCard((bytes) => {
      const command = parseCommand(bytes);
      return command?.ins === 0xa4 && (refusedP2 as readonly number[]).includes(command.p2) ? status(0x6a86) : scenario.applet.process(bytes);
    });
    const report = await runCardTest(transmit, { ...options(scenario.applet.atr), trustedRoots: scenario.trustedRoots, crls: scenario.crls });
    expect(report.findings.map((f) => f.code)).toEqual(['card-ok']);
    expect(report.certificates.map((c) => c.role).sort()).toEqual(['auth', 'sign']);
  });

  it('EF.DIR lists applications before our own: each is tried, in the card\'s order, until an ODF parses', async () => {
    const scenario = await createLayout('several-applications');
    const { transmit, selects } = recordingCard((bytes) => scenario.applet.process(bytes));
    const report = await runCardTest(transmit, { ...options(scenario.applet.atr), trustedRoots: scenario.trustedRoots, crls: scenario.crls });
    expect(report.findings.map((f) => f.code)).toEqual(['card-ok']);
    const tried = selects.slice(0, 4);
    expect(tried).toEqual(['08:2f00', '04:a0000000031010', '08:4f005031', '04:d27600000102']);
  });
});

/** What a bad card does at one APDU: garbage with 9000, a random status word, a silent reset, or no answer at all. */
const badAnswer = fc.oneof(
  fc.record({ garbage: fc.uint8Array({ maxLength: 60 }) }),
  fc.record({ sw: fc.integer({ min: 0x6000, max: 0x6fff }) }),
  fc.constant({ reset: true } as const),
  fc.constant({ silent: true } as const),
);

describe('bad input: cards that answer badly or not at all', () => {
  it('a card answering 9000 with garbage to everything is no SITHS card', async () => {
    let counter = 0;
    const report = await runCardTest(async () => Uint8Array.of(0x30, 0x82, counter++ & 0xff, 0x04, 0x90, 0x00), options(ATRS.unknown));
    expect(report.outcome).toBe('complete');
    expect(report.findings.map((f) => f.code)).toEqual(['unknown-card', 'card-identified']);
  });

  it('a card that never answers is "kortet svarar inte", without hanging', async () => {
    const report = await runCardTest(() => new Promise<Uint8Array>(() => undefined), options(ATRS.unknown, 20));
    expect(report.findings.map((f) => f.code)).toEqual(['card-not-responding']);
    expect(report.findings[0]?.message).toContain('Kortet svarar inte');
    expect(report.verdict).toBe('error');
  });

  it('any mix of garbage, wrong status words, resets and silence over the probe: no SITHS card or not responding, never damaged', async () => {
    const applet = await createLayout('applet-first');
    await fc.assert(
      fc.asyncProperty(fc.array(badAnswer, { minLength: 1, maxLength: 40 }), fc.boolean(), async (answers, onSithsApplet) => {
        applet.applet.reset();
        let index = 0;
        const transmit: RawTransmit = async (bytes) => {
          const bad = answers[index++ % answers.length]!;
          if ('silent' in bad) return new Promise<Uint8Array>(() => undefined);
          if ('reset' in bad) applet.applet.reset();
          if ('garbage' in bad) return Uint8Array.from([...bad.garbage, 0x90, 0x00]);
          if ('sw' in bad) return status(bad.sw);
          return onSithsApplet ? applet.applet.process(bytes) : status(0x6a82);
        };
        const report = await runCardTest(transmit, options(ATRS.unknown, 5));
        expect(report.outcome).toBe('complete');
        const codes = report.findings.map((f) => f.code);
        expect(codes).not.toContain('card-data-corrupt');
        if (!onSithsApplet || answers.every((bad) => !('reset' in bad))) {
          expect(codes.includes('unknown-card') || codes.includes('card-not-responding')).toBe(true);
        }
      }),
      { numRuns: 150, interruptAfterTimeLimit: PROPERTY_BUDGET_MS / 2 },
    );
  }, PROPERTY_BUDGET_MS);
});
