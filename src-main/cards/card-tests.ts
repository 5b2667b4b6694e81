// Runs "Testa ditt kort" on every card that goes in, keeps each reader's result until its card comes out.
import { EventEmitter } from 'node:events';
import type { CardTestReport } from '@shared/card-report';
import type { CardTestState, StationEvent } from '@shared/contract';
import { eventTime } from '@shared/event-time';
import { ApduTrace } from '../card/apdu-trace';
import { runCardTest } from '../card/card-test';
import { ReaderError } from '../card/reader-error';
import type { ReaderService } from '../card/readers';

export interface TrustSource {
  /** Read for every test, so certificates dropped into a trust folder count at once. */
  trustedRoots(): Uint8Array[];
  crls(): Promise<Uint8Array[]>;
}

const BUSY_RETRY_MS = 200;
const BUSY_RETRIES = 25;

export class CardTestService extends EventEmitter<{ event: [StationEvent] }> {
  private readonly states = new Map<string, CardTestState>();
  /** The APDU trace of each reader's last test, for "Spara spårning"; gone with the card, like the result. */
  private readonly traces = new Map<string, string>();

  constructor(private readonly readers: ReaderService, private readonly trust: TrustSource) {
    super();
    readers.on('event', (event) => this.follow(event));
  }

  results(): CardTestState[] {
    return [...this.states.values()];
  }

  /** The support trace of the last test in `reader`, while its card is in. */
  trace(reader: string): string {
    const trace = this.traces.get(reader);
    if (trace === undefined) throw new ReaderError('no-card', `No card test in "${reader}" to trace`);
    return trace;
  }

  /** Tests the card in `reader` now; the result is kept and announced unless the card left meanwhile. */
  async run(reader: string): Promise<CardTestReport> {
    const atr = this.readers.snapshot().readers.find((info) => info.name === reader)?.atr;
    if (!atr) throw new ReaderError('no-card', `No card in "${reader}"`);
    const trace = new ApduTrace({ reader, atr, at: new Date() });
    const report = await this.readers.withCard(reader, async (transmit) => {
      this.publish({ reader, state: 'running' });
      return runCardTest(trace.recording(transmit), {
        readerName: reader,
        atr: Uint8Array.from(Buffer.from(atr, 'hex')),
        trustedRoots: this.trust.trustedRoots(),
        crls: await this.trust.crls(),
        now: new Date(),
      });
    });
    const stillInserted = this.readers.snapshot().readers.find((info) => info.name === reader)?.atr === atr;
    if (report.outcome === 'complete' && stillInserted) {
      this.traces.set(reader, trace.text());
      this.publish({ reader, state: 'done', report });
    } else {
      this.states.delete(reader);
      this.traces.delete(reader);
    }
    return report;
  }

  private follow(event: StationEvent): void {
    if (event.type === 'card-inserted') void this.runWhenFree(event.reader);
    if (event.type === 'card-removed') {
      this.states.delete(event.reader);
      this.traces.delete(event.reader);
    }
  }

  /** The automatic test waits for an operation already running on the reader instead of failing. */
  private async runWhenFree(reader: string): Promise<void> {
    for (let attempt = 0; attempt < BUSY_RETRIES; attempt++) {
      try {
        await this.run(reader);
        return;
      } catch (error) {
        if (!(error instanceof ReaderError) || error.code !== 'reader-busy') return;
        await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
      }
    }
  }

  private publish(state: CardTestState): void {
    this.states.set(state.reader, state);
    this.emit('event', { type: 'card-test', at: eventTime(), ...state });
  }
}
