import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardTestReport } from '@shared/card-report';
import { runCardTest } from '../../src-main/card/card-test';
import { ReaderService } from '../../src-main/card/readers';
import { createScenario, SCENARIO_NAMES, type Personality, type ScenarioName } from '../sim/scenarios';
import { insertCard, type InsertOptions } from '../sim/vpcd';
import { nextEvent } from '../support/events';
import { READER_0 } from '../support/pcscd';

const readers = new ReaderService({ allowVirtualReaders: true });
beforeAll(async () => {
  readers.start();
  await readers.ready();
});
afterAll(() => readers.stop());

async function testCard(name: ScenarioName, personality: Personality, options: Omit<InsertOptions, 'reader'> = {}): Promise<{ report: CardTestReport; commands: number }> {
  const scenario = await createScenario(name, personality);
  let commands = 0;
  const inserted = nextEvent(readers, 'card-inserted', (e) => e.reader === READER_0);
  const card = await insertCard(scenario.applet, { reader: 0, ...options, onCommand: (c) => ((commands += 1), options.onCommand?.(c)) });
  const { atr } = await inserted;
  try {
    const report = await readers.withCard(READER_0, (transmit) =>
      runCardTest(transmit, { readerName: READER_0, atr: Uint8Array.from(Buffer.from(atr, 'hex')), trustedRoots: scenario.trustedRoots, crls: scenario.crls, now: new Date() }),
    );
    return { report, commands };
  } finally {
    const removed = nextEvent(readers, 'card-removed', (e) => e.reader === READER_0);
    await card.remove();
    await removed;
  }
}

const statusOf = (report: CardTestReport, role: string) => report.certificates.find((c) => c.role === role)?.status;
const codes = (report: CardTestReport) => report.findings.map((f) => f.code);

describe.each(['pkcs15', 'piv'] as const)('card test over pcscd: %s', (personality) => {
  it.each(SCENARIO_NAMES.filter((name) => name !== 'not-siths'))('%s', async (name) => {
    const { report, commands } = await testCard(name, personality);
    expect(report.outcome).toBe('complete');
    expect(report.profile).toBe(personality);
    expect(report.apduCount).toBe(commands);
    expect(report.holder).toEqual({ name: 'Anna Testsson', hsaId: 'SE2321000016-1a2b' });
    const expected: Record<string, () => void> = {
      healthy: () => {
        expect(report.verdict).toBe('ok');
        expect([statusOf(report, 'auth'), statusOf(report, 'sign')]).toEqual(['valid', 'valid']);
      },
      'auth-expiring': () => {
        expect(report.verdict).toBe('warning');
        expect(statusOf(report, 'auth')).toBe('expiring');
        expect(report.certificates.find((c) => c.role === 'auth')?.daysLeft).toBe(40);
      },
      'sign-expired': () => {
        expect(report.verdict).toBe('error');
        expect(statusOf(report, 'sign')).toBe('expired');
      },
      'sign-missing': () => {
        expect(report.verdict).toBe('error');
        expect(codes(report)).toContain('sign-certificate-missing');
        expect(report.findings.find((f) => f.code === 'sign-certificate-missing')?.message).toContain('Kortet saknar underskriftscertifikat — det är oftast inte kortet som är fel: Hämta nya certifikat');
      },
      'pin-blocked': () => {
        expect(report.verdict).toBe('error');
        expect(report.pins.find((p) => p.role === 'auth')).toEqual({ role: 'auth', triesLeft: 0, blocked: true });
        expect(report.findings.find((f) => f.code === 'pin-blocked')?.message).toContain('är låst — lås upp den med PUK-koden');
      },
      'puk-blocked': () => {
        expect(report.verdict).toBe('error');
        expect(report.pins.find((p) => p.role === 'puk')?.blocked).toBe(true);
        expect(report.findings.find((f) => f.code === 'puk-blocked')?.message).toContain('PUK-koden är låst och kortet kan inte låsas upp igen — beställ nytt kort');
      },
      revoked: () => {
        expect(report.verdict).toBe('error');
        expect(statusOf(report, 'auth')).toBe('revoked');
      },
      'untrusted-issuer': () => {
        expect(report.verdict).toBe('error');
        expect(statusOf(report, 'auth')).toBe('untrusted');
      },
      // its certificates are genuine copies; only a PIN-verified key proof (as at login) tells this card apart
      'copied-certificate': () => {
        expect(report.verdict).toBe('ok');
        expect([statusOf(report, 'auth'), statusOf(report, 'sign')]).toEqual(['valid', 'valid']);
      },
    };
    expected[name]!();
  });

  it('a card that is not a SITHS card is "unknown" with its ATR and an error', async () => {
    const { report } = await testCard('not-siths', personality);
    expect(report).toMatchObject({ outcome: 'complete', profile: 'unknown', verdict: 'error', atr: '3b6800000073c84012009000' });
  });

  it('a card pulled out at any APDU gives "removed" and no verdict', async () => {
    const total = (await testCard('healthy', personality)).commands;
    for (let pullAt = 1; pullAt <= total; pullAt++) {
      let seen = 0;
      let card: { remove(): Promise<void> } | undefined;
      const scenario = await createScenario('healthy', personality);
      const inserted = nextEvent(readers, 'card-inserted', (e) => e.reader === READER_0);
      card = await insertCard(scenario.applet, {
        reader: 0,
        onCommand: () => {
          seen += 1;
          if (seen === pullAt) void card?.remove();
        },
      });
      const { atr } = await inserted;
      const report = await readers.withCard(READER_0, (transmit) =>
        runCardTest(transmit, { readerName: READER_0, atr: Uint8Array.from(Buffer.from(atr, 'hex')), trustedRoots: scenario.trustedRoots, crls: scenario.crls, now: new Date() }),
      );
      expect({ pullAt, outcome: report.outcome, verdict: report.verdict, findings: codes(report) }).toEqual({ pullAt, outcome: 'removed', verdict: null, findings: ['card-removed'] });
      if (readers.snapshot().readers.find((r) => r.name === READER_0)?.cardPresent) await nextEvent(readers, 'card-removed', (e) => e.reader === READER_0);
    }
  }, 120_000);
});
