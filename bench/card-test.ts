// "Testa ditt kort" on the virtual card through the real pcscd: insert → report latency and APDUs, beside OpenSC reading the same card.
import type { CardTestReport } from '@shared/card-report';
import type { StationEvent } from '@shared/contract';
import { runCardTest } from '../src-main/card/card-test';
import { ReaderService } from '../src-main/card/readers';
import { createScenario, type Personality, type Scenario } from '../test/sim/scenarios';
import { insertCard } from '../test/sim/vpcd';
import { nextEvent } from '../test/support/events';
import { runTool } from '../test/support/opensc';
import { READER_1 } from '../test/support/pcscd';
import { summary } from './stats';

const CYCLES = 20;
const PROFILES: readonly Personality[] = ['pkcs15', 'piv'];

/** APDU counts barely vary: one number when they don't, the range when they do. */
function counts(samples: readonly number[]): string {
  const low = Math.min(...samples);
  const high = Math.max(...samples);
  return low === high ? `${low}` : `${low}–${high}`;
}

/** Runs the card test when a card arrives in reader 1, as the station does; also says when the event came. */
function reportOnInsert(readers: ReaderService, scenario: Scenario): Promise<{ report: CardTestReport; insertedAt: number }> {
  return new Promise((resolve, reject) => {
    const listener = (event: StationEvent): void => {
      if (event.type !== 'card-inserted' || event.reader !== READER_1) return;
      readers.off('event', listener);
      const insertedAt = performance.now();
      const options = { readerName: READER_1, atr: Buffer.from(event.atr, 'hex'), trustedRoots: scenario.trustedRoots, crls: scenario.crls, now: new Date() };
      readers.withCard(READER_1, (transmit) => runCardTest(transmit, options)).then((report) => resolve({ report, insertedAt }), reject);
    };
    readers.on('event', listener);
  });
}

export async function benchCardTest(): Promise<void> {
  const readers = new ReaderService({ allowVirtualReaders: true });
  readers.start();
  await readers.ready();
  try {
    for (const profile of PROFILES) {
      const scenario = await createScenario('healthy', profile);
      const latency: number[] = [];
      const toEvent: number[] = [];
      const eventToReport: number[] = [];
      const reportApdus: number[] = [];
      const cardApdus: number[] = [];
      const openscMs: number[] = [];
      const openscApdus: number[] = [];
      let commands = 0;
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const report = reportOnInsert(readers, scenario);
        commands = 0;
        const connectAt = performance.now();
        const card = await insertCard(scenario.applet, { reader: 1, onCommand: () => commands++ });
        const { report: finished, insertedAt } = await report.catch(async (error: unknown) => {
          await card.remove();
          throw error;
        });
        const finishedAt = performance.now();
        latency.push(finishedAt - connectAt);
        toEvent.push(insertedAt - connectAt);
        eventToReport.push(finishedAt - insertedAt);
        if (finished.verdict !== 'ok') console.log(`  cycle ${cycle}: verdict ${finished.verdict}, findings ${finished.findings.map((f) => f.code).join(', ')}`);
        reportApdus.push(finished.apduCount);
        cardApdus.push(commands);

        commands = 0;
        const openscAt = performance.now();
        const run = await runTool('pkcs15-tool', ['--reader', READER_1, '--list-certificates', '--list-pins']);
        openscMs.push(performance.now() - openscAt);
        openscApdus.push(commands);
        if (run.code !== 0) console.log(`  cycle ${cycle}: pkcs15-tool exited ${run.code}: ${run.stderr.trim()}`);

        const removed = nextEvent(readers, 'card-removed', (e) => e.reader === READER_1);
        await card.remove();
        await removed;
      }
      console.log(`card test, ${profile} healthy card (${CYCLES} cycles): socket connect → report ${summary(latency)}`);
      console.log(`  of which connect → card-inserted event ${summary(toEvent)}; event → report ${summary(eventToReport)}`);
      console.log(`  APDUs per card test: ${counts(reportApdus)} by the report, ${counts(cardApdus)} seen by the card`);
      console.log(`  OpenSC pkcs15-tool --list-certificates --list-pins on the same card: ${summary(openscMs)} (process included), ${counts(openscApdus)} APDUs`);
    }
  } finally {
    readers.stop();
  }
}
