import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardError, type RawTransmit, toHex } from '../../src-main/card/apdu';
import { runCardTest } from '../../src-main/card/card-test';
import type { CardApplet } from '../sim/applet';
import { CardModel } from '../sim/card-model';
import { PKCS15_LAYOUT, Pkcs15Applet } from '../sim/pkcs15-applet';
import { PivApplet } from '../sim/piv-applet';
import { ATRS, type Personality, type ScenarioName, SCENARIO_HOLDER, SCENARIO_SERIAL, createModel, createScenario } from '../sim/scenarios';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

const wire = (applet: CardApplet): RawTransmit => async (command) => applet.process(command);

async function testScenario(name: ScenarioName, personality: Personality, transmit?: (applet: CardApplet) => RawTransmit) {
  const scenario = await createScenario(name, personality);
  const report = await runCardTest((transmit ?? wire)(scenario.applet), {
    readerName: 'Virtual PCD 00 00',
    atr: scenario.applet.atr,
    trustedRoots: scenario.trustedRoots,
    crls: scenario.crls,
    now: new Date(),
  });
  return { report, scenario };
}

const expectations: [ScenarioName, 'ok' | 'warning' | 'error', string[]][] = [
  ['healthy', 'ok', ['card-ok']],
  ['auth-expiring', 'warning', ['certificate-expiring']],
  ['sign-expired', 'error', ['certificate-expired']],
  ['sign-missing', 'error', ['sign-certificate-missing']],
  ['pin-blocked', 'error', ['pin-blocked']],
  ['puk-blocked', 'error', ['puk-blocked']],
  ['revoked', 'error', ['certificate-revoked']],
  ['untrusted-issuer', 'error', ['certificate-untrusted', 'certificate-untrusted']],
  ['not-siths', 'error', ['unknown-card', 'card-identified']],
];

describe.each(['pkcs15', 'piv'] as const)('card test on %s scenarios', (personality) => {
  it.each(expectations)('%s → %s', async (name, verdict, codes) => {
    const { report } = await testScenario(name, personality);
    expect(report.outcome).toBe('complete');
    expect(report.verdict).toBe(verdict);
    expect(report.findings.map((f) => f.code)).toEqual(codes);
    expect(report.profile).toBe(name === 'not-siths' ? 'unknown' : personality);
  });

  it('reports the card as the CLI prints it', async () => {
    const { report, scenario } = await testScenario('auth-expiring', personality);
    expect(report.atr).toBe(toHex(scenario.applet.atr));
    expect(report.holder).toEqual(SCENARIO_HOLDER);
    expect(report.cardSerial).toContain(SCENARIO_SERIAL);
    const auth = report.certificates.find((c) => c.role === 'auth');
    expect(auth).toMatchObject({ status: 'expiring', daysLeft: 40 });
    expect(auth?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(auth!.notAfter)).toBeGreaterThan(Date.now());
    expect(report.apduCount).toBeGreaterThan(3);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('never sends a PIN', async () => {
    const sent: Uint8Array[] = [];
    await testScenario('healthy', personality, (applet) => async (command) => {
      sent.push(command);
      return applet.process(command);
    });
    const pinCommands = sent.filter((c) => [0x20, 0x24, 0x2c].includes(c[1] ?? 0));
    expect(pinCommands.length).toBeGreaterThan(0);
    expect(pinCommands.every((c) => c[1] === 0x20 && c.length === 4)).toBe(true);
  });

  it('reports removal at any APDU, with no verdict', async () => {
    const { report: full } = await testScenario('healthy', personality);
    for (let k = 0; k < full.apduCount; k++) {
      const { report } = await testScenario('healthy', personality, (applet) => {
        let index = 0;
        return async (command) => {
          if (index++ === k) throw new CardError('card-removed', 'Card removed');
          return applet.process(command);
        };
      });
      expect(report.outcome, `removed at APDU ${k}`).toBe('removed');
      expect(report.verdict).toBeNull();
      expect(report.certificates).toEqual([]);
      expect(report.findings).toMatchObject([{ code: 'card-removed', message: expect.stringContaining('Kortet togs ut under testet') }]);
    }
  });

  it('reports truncated certificates as corrupt card data', async () => {
    const good = await createModel('healthy');
    const model = new CardModel({
      serial: good.serial,
      certificates: good.certificates.map((c) => ({ ...c, der: c.der.subarray(0, c.der.length - 40) })),
      pins: {
        auth: { ...good.toJSON().pins.auth, ...good.policy('auth') },
        sign: { ...good.toJSON().pins.sign, ...good.policy('sign') },
        puk: { ...good.toJSON().pins.puk, ...good.policy('puk') },
      },
    });
    const applet = personality === 'piv' ? new PivApplet(ATRS.piv, model) : new Pkcs15Applet(ATRS.pkcs15, model);
    const report = await runCardTest(wire(applet), { readerName: 'r', atr: applet.atr, trustedRoots: [], crls: [], now: new Date() });
    expect(report.verdict).toBe('error');
    expect(report.findings.map((f) => f.code)).toContain('card-data-corrupt');
    expect(report.findings.find((f) => f.code === 'card-data-corrupt')?.message).toContain('Kortets data är skadade');
    expect(report.pins).toHaveLength(personality === 'piv' ? 2 : 3);
  });

  it('survives any mangled answer from the card', async () => {
    const scenario = await createScenario('healthy', personality);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(80),
        fc.oneof(fc.record({ cut: fc.nat(300) }), fc.record({ at: fc.nat(300), byte: fc.integer({ min: 0, max: 255 }) }), fc.record({ junk: fc.uint8Array({ maxLength: 40 }) })),
        async (target, mutation) => {
          scenario.applet.reset();
          let index = 0;
          const transmit: RawTransmit = async (command) => {
            const answer = Uint8Array.from(scenario.applet.process(command));
            if (index++ !== target) return answer;
            if ('cut' in mutation) return answer.subarray(0, Math.min(mutation.cut, answer.length));
            if ('junk' in mutation) return mutation.junk;
            if (mutation.at < answer.length) answer[mutation.at] = mutation.byte;
            return answer;
          };
          const report = await runCardTest(transmit, { readerName: 'r', atr: scenario.applet.atr, trustedRoots: scenario.trustedRoots, crls: scenario.crls, now: new Date() });
          expect(report.outcome).toBe('complete');
          expect(report.verdict).not.toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  }, PROPERTY_BUDGET_MS);
});

describe('card test on malformed PKCS#15 files', () => {
  it('a broken AODF is corrupt card data, certificates are still judged', async () => {
    const scenario = await createScenario('healthy', 'pkcs15');
    let lastSelect = '';
    const transmit: RawTransmit = async (command) => {
      const answer = scenario.applet.process(command);
      if (command[1] === 0xa4) lastSelect = toHex(command);
      const aodf = PKCS15_LAYOUT.aodf.toString(16);
      if (command[1] === 0xb0 && lastSelect.includes(aodf)) return Uint8Array.of(0x30, 0x10, 0x02, 0x01, 0x90, 0x00);
      return answer;
    };
    const report = await runCardTest(transmit, { readerName: 'r', atr: scenario.applet.atr, trustedRoots: scenario.trustedRoots, crls: scenario.crls, now: new Date() });
    expect(report.findings.map((f) => f.code)).toEqual(['card-data-corrupt']);
    expect(report.certificates.map((c) => c.status)).toEqual(['valid', 'valid']);
    expect(report.pins).toEqual([]);
  });

  it('a reader that fails is reported as such, not as a bad card', async () => {
    const report = await runCardTest(
      async () => {
        throw new Error('SCARD_E_COMM_DATA_LOST');
      },
      { readerName: 'r', atr: ATRS.pkcs15, trustedRoots: [], crls: [], now: new Date() },
    );
    expect(report.findings.map((f) => f.code)).toEqual(['card-transmit-failed']);
    expect(report.verdict).toBe('error');
  });
});
