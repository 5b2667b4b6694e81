// One virtual card read by our card test and then by OpenSC's pkcs15-tool, each one's APDUs counted where the card receives them.
import type { CardTestReport } from '@shared/card-report';
import { runCardTest } from '../../src-main/card/card-test';
import type { ReaderService } from '../../src-main/card/readers';
import type { CardApplet } from '../sim/applet';
import { parseCommand } from '../sim/command';
import { LAYOUT_NAMES, createLayout } from '../sim/layouts';
import { type Scenario, createScenario } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { nextEvent } from './events';
import { parseListing, runTool } from './opensc';

/** The command OpenSC's own users run to see what a card holds; the yardstick. */
export const OPENSC_LISTING = ['--list-certificates', '--list-pins'] as const;

const INS_VERIFY = 0x20;

export interface SeenApdu {
  ins: number;
  sw: number;
}

export interface Reading {
  /** APDUs as the card received them. */
  apdus: number;
  /** Commands other than VERIFY that found nothing (answered neither 9000 nor 61xx): the price of looking where the application is not. */
  missed: number;
  ms: number;
  certificates: number;
}

export interface LayoutReading {
  ours: Reading & { report: CardTestReport };
  opensc: Reading & { exitCode: number };
}

/** A card in front of `inner` that notes each command's instruction and the status word it got. */
function watched(inner: CardApplet, seen: SeenApdu[]): CardApplet {
  return {
    atr: inner.atr,
    reset: () => inner.reset(),
    process(command) {
      const answer = inner.process(command);
      seen.push({ ins: parseCommand(command)?.ins ?? -1, sw: ((answer.at(-2) ?? 0) << 8) | (answer.at(-1) ?? 0) });
      return answer;
    },
  };
}

export const missedProbes = (seen: readonly SeenApdu[]): number =>
  seen.filter(({ ins, sw }) => ins !== INS_VERIFY && sw !== 0x9000 && sw >> 8 !== 0x61).length;

/** Inserts the scenario's card in reader `index` (named `readerName`), reads it both ways, and takes it out again. */
export async function readLayoutBothWays(readers: ReaderService, index: number, readerName: string, scenario: Scenario): Promise<LayoutReading> {
  const seen: SeenApdu[] = [];
  const inserted = nextEvent(readers, 'card-inserted', (event) => event.reader === readerName);
  const card = await insertCard(watched(scenario.applet, seen), { reader: index });
  try {
    const { atr } = await inserted;
    const ourStart = performance.now();
    const report = await readers.withCard(readerName, (transmit) =>
      runCardTest(transmit, { readerName, atr: Buffer.from(atr, 'hex'), trustedRoots: scenario.trustedRoots, crls: scenario.crls, now: new Date() }),
    );
    const ourMs = performance.now() - ourStart;
    const ourApdus = seen.splice(0);

    const openscStart = performance.now();
    const run = await runTool('pkcs15-tool', ['--reader', readerName, ...OPENSC_LISTING]);
    const openscMs = performance.now() - openscStart;
    return {
      ours: { apdus: ourApdus.length, missed: missedProbes(ourApdus), ms: ourMs, certificates: report.certificates.length, report },
      opensc: {
        apdus: seen.length,
        missed: missedProbes(seen),
        ms: openscMs,
        certificates: parseListing(run.stdout).filter((object) => object.kind === 'X.509 Certificate').length,
        exitCode: run.code,
      },
    };
  } finally {
    const removed = nextEvent(readers, 'card-removed', (event) => event.reader === readerName);
    await card.remove();
    await removed;
  }
}

/** Issue 15's goal: the extra probing for other layouts costs a healthy SITHS card at most this many APDUs. */
export const MAX_PROBING_APDUS_ON_HEALTHY_SITHS = 2;

/** The cards the yardstick reads: our own two healthy cards and the layouts of others (test/sim/layouts.ts). */
export const YARDSTICK_CARDS = ['healthy-pkcs15', 'healthy-piv', ...LAYOUT_NAMES] as const;
export type YardstickCard = (typeof YARDSTICK_CARDS)[number];

/** Healthy SITHS cards: our standard PKCS#15 layout and the documented SetCOS generation with its application under ESIGN. */
export const HEALTHY_SITHS_CARDS: ReadonlySet<YardstickCard> = new Set(['healthy-pkcs15', 'esign-siths']);

export function createYardstickCard(name: YardstickCard): Promise<Scenario> {
  if (name === 'healthy-pkcs15') return createScenario('healthy', 'pkcs15');
  if (name === 'healthy-piv') return createScenario('healthy', 'piv');
  return createLayout(name);
}
