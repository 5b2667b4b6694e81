// An independent reader agrees: OpenSC reads the same certificates and PIN tries from each virtual card as our card test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardTestReport, PinRole } from '@shared/card-report';
import { runCardTest } from '../../src-main/card/card-test';
import { ReaderService } from '../../src-main/card/readers';
import { SCENARIO_NAMES, createScenario, type Personality, type Scenario, type ScenarioName } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { nextEvent } from '../support/events';
import { listObjects, pinRole, rawPinTries, readCertificateSha256, runTool, selectAid, selectPath, type OpenscListing } from '../support/opensc';
import { READER_1 } from '../support/pcscd';

/** NIST SP 800-73-4's PIV application; OpenSC prints no path for PIV PINs, they live in this application. */
const PIV_AID = [0xa0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00];
/** Every card runs three OpenSC processes; without loopback quickack each of their APDUs waits ~40 ms. */
const CARD_TIMEOUT_MS = 60_000;

interface Reading {
  report: CardTestReport;
  listing: OpenscListing;
  /** SHA-256 of each certificate OpenSC read, in its listing's order */
  opensc: { sha256: string[]; tries: Map<PinRole, number | null> };
}

describe('an independent reader (OpenSC) agrees with our card test', () => {
  const readers = new ReaderService({ allowVirtualReaders: true });

  beforeAll(async () => {
    readers.start();
    await readers.ready();
  });
  afterAll(() => readers.stop());

  /** Inserts the scenario's card in reader 1, runs our card test through pcscd, then lets `withOpenSc` read the same card. */
  async function readBoth<T>(scenario: Scenario, withOpenSc: (report: CardTestReport) => Promise<T>): Promise<T> {
    const inserted = nextEvent(readers, 'card-inserted', (e) => e.reader === READER_1);
    const card = await insertCard(scenario.applet, { reader: 1 });
    let result: T;
    try {
      const { atr } = await inserted;
      const report = await readers.withCard(READER_1, (transmit) =>
        runCardTest(transmit, { readerName: READER_1, atr: Buffer.from(atr, 'hex'), trustedRoots: scenario.trustedRoots, crls: scenario.crls, now: new Date() }),
      );
      result = await withOpenSc(report);
    } catch (error) {
      await card.remove();
      throw error;
    }
    // the next card goes into the same reader: wait until pcscd has seen this one leave
    const removed = nextEvent(readers, 'card-removed', (e) => e.reader === READER_1);
    await card.remove();
    await removed;
    return result;
  }

  async function readSithsCard(scenario: Scenario): Promise<Reading> {
    return readBoth(scenario, async (report) => {
      const listing = await listObjects(READER_1);
      const sha256: string[] = [];
      for (const id of listing.certificateIds) sha256.push(await readCertificateSha256(READER_1, id));
      // pkcs15-tool prints no tries for these cards (generic and PIV drivers alike): ask with VERIFY at the PINs it listed
      const pinDf = listing.pins.find((pin) => pin.path !== '')?.path;
      const select = pinDf ? selectPath(pinDf) : selectAid(PIV_AID);
      const raw = await rawPinTries(READER_1, select, listing.pins.map((pin) => pin.reference));
      const tries = new Map(listing.pins.map((pin) => [pinRole(pin, listing.keys), raw.get(pin.reference) ?? null] as const));
      return { report, listing, opensc: { sha256, tries } };
    });
  }

  const personalities: readonly Personality[] = ['pkcs15', 'piv'];
  // not-siths is one card whatever the personality asked for, so it is read once, below
  const sithsScenarios = SCENARIO_NAMES.filter((name): name is Exclude<ScenarioName, 'not-siths'> => name !== 'not-siths');

  for (const personality of personalities) {
    describe(personality, () => {
      for (const name of sithsScenarios) {
        it(`${name}: same certificates and the same tries`, { timeout: CARD_TIMEOUT_MS }, async () => {
          const scenario = await createScenario(name, personality);
          const { report, listing, opensc } = await readSithsCard(scenario);

          expect(listing.run.code, listing.run.stderr).toBe(0);
          expect(report.outcome).toBe('complete');
          expect(report.profile).toBe(personality);
          const onCard = scenario.model!.certificates.length;
          expect(opensc.sha256).toHaveLength(onCard);
          expect(report.certificates).toHaveLength(onCard);
          expect(new Set(opensc.sha256)).toEqual(new Set(report.certificates.map((c) => c.sha256)));

          // OpenSC ties each certificate to its private key by ID; the key's usage says which role the certificate has
          const roleBySha = new Map(
            listing.certificateIds.map((id, index) => {
              const usage = listing.keys.find((key) => key.id === id)?.usage ?? [];
              return [opensc.sha256[index]!, usage.includes('nonRepudiation') ? 'sign' : 'auth'] as const;
            }),
          );
          expect(new Map(report.certificates.map((c) => [c.sha256, c.role]))).toEqual(roleBySha);

          // one PIV PIN guards both keys, so PIV has no separate signature PIN
          const roles: PinRole[] = personality === 'piv' ? ['auth', 'puk'] : ['auth', 'sign', 'puk'];
          expect([...opensc.tries.keys()].sort()).toEqual([...roles].sort());
          expect(new Map(report.pins.map((pin) => [pin.role, pin.triesLeft]))).toEqual(opensc.tries);
          for (const pin of report.pins) expect(pin.blocked).toBe(opensc.tries.get(pin.role) === 0);
        });
      }
    });
  }

  it('not-siths: we say unknown and OpenSC finds no PKCS#15 application', { timeout: CARD_TIMEOUT_MS }, async () => {
    const scenario = await createScenario('not-siths', 'pkcs15');
    const { report, run } = await readBoth(scenario, async (report) => ({ report, run: await runTool('pkcs15-tool', ['--reader', READER_1, '--list-certificates', '--list-pins']) }));

    expect(report.profile).toBe('unknown');
    expect(report.certificates).toEqual([]);
    expect(report.findings.map((f) => f.code)).toContain('unknown-card');
    expect(run.code).not.toBe(0);
    expect(run.stderr + run.stdout).toMatch(/PKCS#15 binding failed: Unsupported card/);
    expect(run.stdout).not.toMatch(/X\.509 Certificate|PIN \[/);
  });
});
