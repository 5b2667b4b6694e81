// Cards laid out as others make them (issue 15): each is found, read and judged as the rules say, and a foreign card is never "damaged".
import { describe, expect, it } from 'vitest';
import type { RawTransmit } from '../../src-main/card/apdu';
import { runCardTest } from '../../src-main/card/card-test';
import type { CardApplet } from '../sim/applet';
import { type LayoutName, createLayout } from '../sim/layouts';
import { MAX_PIN_TRIES, MAX_PUK_TRIES, createScenario } from '../sim/scenarios';

const wire = (applet: CardApplet): RawTransmit => async (command) => applet.process(command);

async function testLayout(name: LayoutName) {
  const scenario = await createLayout(name);
  return runCardTest(wire(scenario.applet), {
    readerName: 'Virtual PCD 00 00',
    atr: scenario.applet.atr,
    trustedRoots: scenario.trustedRoots,
    crls: scenario.crls,
    now: new Date(),
  });
}

const healthyPins = [
  { role: 'auth', triesLeft: MAX_PIN_TRIES, blocked: false },
  { role: 'sign', triesLeft: MAX_PIN_TRIES, blocked: false },
  { role: 'puk', triesLeft: MAX_PUK_TRIES, blocked: false },
];

describe('card layouts made by others', () => {
  it.each(['esign-siths', 'esign-aid-only', 'select-by-fid-only', 'applet-first', 'several-applications'] as const)('%s: both certificates and all tries, verdict ok', async (name) => {
    const report = await testLayout(name);
    expect(report.profile).toBe('pkcs15');
    expect(report.findings.map((f) => f.code)).toEqual(['card-ok']);
    expect(report.certificates.map((c) => c.role).sort()).toEqual(['auth', 'sign']);
    expect(report.pins).toEqual(healthyPins);
  });

  it('a PIN blocked with 63C0 is blocked, as with 6983', async () => {
    const report = await testLayout('pin-blocked-63c0');
    expect(report.pins.find((pin) => pin.role === 'auth')).toEqual({ role: 'auth', triesLeft: 0, blocked: true });
    expect(report.findings.map((f) => f.code)).toEqual(['pin-blocked']);
  });

  it('PUK tries the card will not tell are unknown, not an error', async () => {
    const report = await testLayout('puk-tries-unreadable');
    expect(report.pins.find((pin) => pin.role === 'puk')).toEqual({ role: 'puk', triesLeft: null, blocked: false });
    expect(report.findings.map((f) => f.code)).toEqual(['pin-tries-unknown', 'card-ok']);
    expect(report.verdict).toBe('ok');
  });

  it('a PIV token tells its PUK tries through the metadata command', async () => {
    const report = await testLayout('piv-metadata');
    expect(report.profile).toBe('piv');
    expect(report.pins).toEqual([
      { role: 'auth', triesLeft: MAX_PIN_TRIES, blocked: false },
      { role: 'puk', triesLeft: MAX_PUK_TRIES, blocked: false },
    ]);
    expect(report.findings.map((f) => f.code)).toEqual(['card-ok']);
  });

  it('a German eID is no SITHS card, named by its ATR, and nobody is told to order a new card', async () => {
    const report = await testLayout('foreign-eid');
    expect(report.profile).toBe('unknown');
    expect(report.verdict).toBe('error');
    expect(report.findings.map((f) => f.code)).toEqual(['unknown-card', 'card-identified']);
    expect(report.findings[0]?.message).toContain('inget eTjänstekort (SITHS-kort)');
    expect(report.findings[1]?.message).toContain('3b8a80018031b8738401e082900006');
    expect(report.findings[1]?.message).toContain('tyskt nationellt ID-kort (nPA)');
    expect(report.findings.some((f) => /beställ nytt kort/.test(f.message))).toBe(false);
  });

  it('the extra probing costs a healthy SITHS card at most 2 APDUs', async () => {
    const healthy = await createScenario('healthy', 'pkcs15');
    const report = await runCardTest(wire(healthy.applet), { readerName: 'r', atr: healthy.applet.atr, trustedRoots: healthy.trustedRoots, crls: healthy.crls, now: new Date() });
    // 22 APDUs before issue 15 (EF.DIR, ODF, TokenInfo, CDF, two certificates, PrKDF, AODF, three tries); +2 allowed
    expect(report.apduCount).toBeLessThanOrEqual(22 + 2);
  });
});
