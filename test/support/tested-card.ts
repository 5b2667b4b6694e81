// The healthy scenario card in reader 1, tested by a real card-test service on the real pcscd: the counter's finished test, which a handover reads.
import type { CardTestReport } from '@shared/card-report';
import { CardTestService } from '../../src-main/cards/card-tests';
import { ReaderService } from '../../src-main/card/readers';
import { createScenario } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { READER_1 } from './pcscd';

export interface TestedCard {
  cardTests: CardTestService;
  /** The finished test of the card now in reader 1. */
  report: CardTestReport;
  /** Takes the card out and stops following the readers. */
  stop(): Promise<void>;
}

export async function testedCardInReader1(): Promise<TestedCard> {
  const scenario = await createScenario('healthy');
  const readers = new ReaderService({ allowVirtualReaders: true });
  const cardTests = new CardTestService(readers, { trustedRoots: () => scenario.trustedRoots, crls: async () => scenario.crls });
  readers.start();
  await readers.ready();
  const tested = new Promise<CardTestReport>((resolve) =>
    cardTests.on('event', (event) => {
      if (event.type === 'card-test' && event.reader === READER_1 && event.state === 'done') resolve(event.report);
    }),
  );
  const card = await insertCard(scenario.applet, { reader: 1 });
  const report = await tested;
  return {
    cardTests,
    report,
    async stop() {
      await card.remove();
      readers.stop();
    },
  };
}
