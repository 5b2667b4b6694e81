// Cards laid out as others make them, over the real pcscd: our card test and OpenSC's pkcs15-tool read the same certificates and tries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardTestReport, PinRole } from '@shared/card-report';
import { runCardTest } from '../../src-main/card/card-test';
import { ReaderService } from '../../src-main/card/readers';
import { ESIGN_AID, ISO_APPLET_AID, LAYOUT_NAMES, type LayoutName, createLayout } from '../sim/layouts';
import { PKCS15_LAYOUT, PKCS15_PIN_REFERENCES } from '../sim/pkcs15-applet';
import { MAX_PIN_TRIES, MAX_PUK_TRIES } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { nextEvent } from '../support/events';
import { type OpenscListing, listObjects, pinRole, readCertificateSha256, runTool } from '../support/opensc';
import { READER_1 } from '../support/pcscd';

/** Three OpenSC processes per card; without loopback quickack each of their APDUs waits ~40 ms. */
const CARD_TIMEOUT_MS = 60_000;
const PIV_AID = [0xa0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00];
const apdu = (...bytes: number[]): number[] => bytes;
const selectAid = (aid: readonly number[]): number[] => apdu(0x00, 0xa4, 0x04, 0x00, aid.length, ...aid);
const selectFid = (fid: number): number[] => apdu(0x00, 0xa4, 0x00, 0x0c, 0x02, fid >> 8, fid & 0xff);
const selectAppDf = (): number[] => apdu(0x00, 0xa4, 0x08, 0x0c, 0x02, PKCS15_LAYOUT.appDf >> 8, PKCS15_LAYOUT.appDf & 0xff);
const verifyEmpty = (reference: number): number[] => apdu(0x00, 0x20, 0x00, reference);

/** Raw answers from opensc-tool, an independent sender: status word and data of each APDU. */
async function rawAnswers(apdus: readonly number[][]): Promise<{ sw: number; data: string }[]> {
  const args = apdus.flatMap((bytes) => ['--send-apdu', bytes.map((b) => b.toString(16).padStart(2, '0')).join(':')]);
  const run = await runTool('opensc-tool', ['--reader', READER_1, ...args]);
  const blocks = run.stdout.split(/^Sending: /m).slice(1);
  return blocks.map((block) => {
    const received = /Received \(SW1=0x([0-9A-Fa-f]{2}), SW2=0x([0-9A-Fa-f]{2})\)(?::\n([\s\S]*))?/.exec(block);
    if (!received) throw new Error(`opensc-tool gave no answer: ${run.stdout}${run.stderr}`);
    const data = (received[3] ?? '').split('\n').map((line) => line.slice(0, 48)).join(' ').replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
    return { sw: (Number.parseInt(received[1]!, 16) << 8) | Number.parseInt(received[2]!, 16), data };
  });
}

/** Tries from VERIFY without data as the rules read it: 63Cx → x, 6983 → 0 (blocked), anything else → unknown. */
const triesFrom = (sw: number): number | null => ((sw & 0xfff0) === 0x63c0 ? sw & 0x0f : sw === 0x6983 ? 0 : null);

/** Layouts OpenSC 0.23 cannot read: no path in EF.DIR sends it to 3F00/5015; its default driver selects only by path. */
const OPENSC_CANNOT_READ: ReadonlySet<LayoutName> = new Set(['esign-aid-only', 'select-by-fid-only']);
const PKCS15_REFERENCES = [PKCS15_PIN_REFERENCES.auth, PKCS15_PIN_REFERENCES.sign, PKCS15_PIN_REFERENCES.puk];

/** How OpenSC is pointed at each layout's application and its PINs' DF (the selection our card test must find by itself). */
const OPENSC_ROUTE: Record<LayoutName, { listArgs: string[]; pinDf: number[][] }> = {
  'esign-siths': { listArgs: [], pinDf: [selectAppDf()] },
  'esign-aid-only': { listArgs: [], pinDf: [selectAppDf()] },
  'select-by-fid-only': { listArgs: [], pinDf: [selectFid(0x3f00), selectFid(PKCS15_LAYOUT.appDf)] },
  'applet-first': { listArgs: [], pinDf: [selectAid([...ISO_APPLET_AID]), selectAppDf()] },
  'several-applications': { listArgs: ['--aid', 'A000000063504B43532D3135'], pinDf: [selectAppDf()] },
  'pin-blocked-63c0': { listArgs: [], pinDf: [selectAppDf()] },
  'puk-tries-unreadable': { listArgs: [], pinDf: [selectAppDf()] },
  'piv-metadata': { listArgs: [], pinDf: [selectAid(PIV_AID)] },
  'foreign-eid': { listArgs: ['--aid', Buffer.from(ESIGN_AID).toString('hex')], pinDf: [selectAppDf()] },
};

describe('cards of other layouts over pcscd, beside OpenSC', () => {
  const readers = new ReaderService({ allowVirtualReaders: true });

  beforeAll(async () => {
    readers.start();
    await readers.ready();
  });
  afterAll(() => readers.stop());

  async function readBoth(name: LayoutName): Promise<{ report: CardTestReport; listing: OpenscListing; sha256: string[]; tries: Map<PinRole, number | null> }> {
    const scenario = await createLayout(name);
    const route = OPENSC_ROUTE[name];
    const inserted = nextEvent(readers, 'card-inserted', (e) => e.reader === READER_1);
    const card = await insertCard(scenario.applet, { reader: 1 });
    try {
      const { atr } = await inserted;
      const report = await readers.withCard(READER_1, (transmit) =>
        runCardTest(transmit, { readerName: READER_1, atr: Buffer.from(atr, 'hex'), trustedRoots: scenario.trustedRoots, crls: scenario.crls, now: new Date() }),
      );
      const listing = await listObjects(READER_1, route.listArgs);
      const sha256: string[] = [];
      for (const id of listing.certificateIds) sha256.push(await readCertificateSha256(READER_1, id, route.listArgs));
      // where OpenSC lists no PINs, their references come from the card's own layout
      const references = OPENSC_CANNOT_READ.has(name) ? PKCS15_REFERENCES : listing.pins.map((pin) => pin.reference);
      const answers = await rawAnswers([...route.pinDf, ...references.map(verifyEmpty), apdu(0x00, 0xf7, 0x00, 0x81, 0x00)]);
      const verified = answers.slice(route.pinDf.length, route.pinDf.length + references.length);
      const roles: PinRole[] = OPENSC_CANNOT_READ.has(name) ? ['auth', 'sign', 'puk'] : listing.pins.map((pin) => pinRole(pin, listing.keys));
      const tries = new Map(roles.map((role, index) => [role, triesFrom(verified[index]!.sw)] as const));
      // a PIV token that answers the metadata command tells the PUK's tries there (tag 06: total, remaining)
      const metadata = answers.at(-1)!;
      const retries = /0602([0-9a-f]{2})([0-9a-f]{2})/.exec(metadata.data);
      if (name === 'piv-metadata' && metadata.sw === 0x9000 && retries) tries.set('puk', Number.parseInt(retries[2]!, 16));
      return { report, listing, sha256, tries };
    } finally {
      const removed = nextEvent(readers, 'card-removed', (e) => e.reader === READER_1);
      await card.remove();
      await removed;
    }
  }

  const readable = LAYOUT_NAMES.filter((name) => name !== 'foreign-eid' && !OPENSC_CANNOT_READ.has(name));
  it.each(readable)('%s: the same certificates and tries as OpenSC', { timeout: CARD_TIMEOUT_MS }, async (name) => {
    const { report, listing, sha256, tries } = await readBoth(name);
    expect(listing.run.code, listing.run.stderr).toBe(0);
    expect(report.profile).toBe(name === 'piv-metadata' ? 'piv' : 'pkcs15');
    expect(sha256).toHaveLength(2);
    expect(new Set(report.certificates.map((c) => c.sha256))).toEqual(new Set(sha256));
    expectRules(name, report, tries);
  });

  it.each([...OPENSC_CANNOT_READ])('%s: OpenSC finds no certificates, we read both; the tries agree with raw VERIFY', { timeout: CARD_TIMEOUT_MS }, async (name) => {
    const { report, sha256, tries } = await readBoth(name);
    expect(sha256).toEqual([]);
    expect(report.profile).toBe('pkcs15');
    expect(report.certificates.map((c) => c.role).sort()).toEqual(['auth', 'sign']);
    expectRules(name, report, tries);
  });

  function expectRules(name: LayoutName, report: CardTestReport, tries: Map<PinRole, number | null>): void {
    expect(new Map(report.pins.map((pin) => [pin.role, pin.triesLeft]))).toEqual(tries);
    // what the rules expect of each layout, beside what OpenSC saw
    const expected = new Map<PinRole, number | null>([['auth', MAX_PIN_TRIES], ['sign', MAX_PIN_TRIES], ['puk', MAX_PUK_TRIES]]);
    if (name === 'pin-blocked-63c0') expected.set('auth', 0);
    if (name === 'puk-tries-unreadable') expected.set('puk', null);
    if (name === 'piv-metadata') expected.delete('sign');
    expect(new Map(report.pins.map((pin) => [pin.role, pin.triesLeft]))).toEqual(expected);
    expect(report.verdict).toBe(name === 'pin-blocked-63c0' ? 'error' : 'ok');
  }

  it('foreign-eid: OpenSC finds the ESIGN application without certificates; we say it is no SITHS card and name it', { timeout: CARD_TIMEOUT_MS }, async () => {
    const { report, listing, sha256 } = await readBoth('foreign-eid');
    expect(listing.run.code, listing.run.stderr).toBe(0);
    expect(sha256).toEqual([]);
    expect(report.certificates).toEqual([]);
    expect(report.findings.map((f) => f.code)).toEqual(['unknown-card', 'card-identified']);
    expect(report.findings[1]?.message).toContain('tyskt nationellt ID-kort (nPA)');
  });
});
