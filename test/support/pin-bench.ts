// The PIN tests' bench: a reader service on pcscd, a station database, and scenario cards whose state lives in a file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ApduChannel } from '../../src-main/card/apdu';
import { probeCard } from '../../src-main/card/profiles/profile';
import { ReaderService } from '../../src-main/card/readers';
import type { OpenRegister } from '../../src-main/db/open';
import { pinAuditWriter } from '../../src-main/pins/audit';
import { createPinService } from '../../src-main/pins/pins';
import { createScenario, type Personality, type ScenarioName } from '../sim/scenarios';
import { persistCardState, readCardState } from '../sim/state-file';
import { insertCard } from '../sim/vpcd';
import { nextEvent } from './events';
import { READER_0 } from './pcscd';
import { openTestRegister } from './register';

export const INS_CHANGE = 0x24;
export const INS_RESET_RETRY = 0x2c;
export const NEW_PIN = '394857';

export interface Inserted {
  instructions: number[];
  stateFile: string;
  remove(): Promise<void>;
}

/** Registers the calling file's hooks: readers started and a fresh database before its tests, both closed after. */
export function pinTestBench() {
  const readers = new ReaderService({ allowVirtualReaders: true });
  let database: OpenRegister;
  beforeAll(async () => {
    readers.start();
    await readers.ready();
    database = await openTestRegister(mkdtempSync(join(tmpdir(), 'kortstation-pins-')));
  });
  afterAll(async () => {
    readers.stop();
    await database.close();
  });

  /** Inserts a scenario card whose state lives in a file, as `npm run sim -- --state` does; `pullAt` pulls it at that APDU. */
  async function insert(name: ScenarioName, personality: Personality, stateFile = join(mkdtempSync(join(tmpdir(), 'kortstation-card-')), 'card.json'), pullAt?: number): Promise<Inserted> {
    const scenario = await createScenario(name, personality, { state: readCardState(stateFile) });
    const applet = persistCardState(scenario.applet, scenario.model!, stateFile);
    const instructions: number[] = [];
    let card: Awaited<ReturnType<typeof insertCard>> | undefined;
    const inserted = nextEvent(readers, 'card-inserted', (e) => e.reader === READER_0);
    card = await insertCard(applet, {
      reader: 0,
      onCommand: (command) => {
        instructions.push(command[1]!);
        if (instructions.length === pullAt) void card?.remove();
      },
    });
    await inserted;
    return {
      instructions,
      stateFile,
      async remove() {
        if (readers.snapshot().readers.find((r) => r.name === READER_0)?.cardPresent) {
          const removed = nextEvent(readers, 'card-removed', (e) => e.reader === READER_0);
          await card!.remove();
          await removed;
        }
      },
    };
  }

  const verifyOnCard = (value: string) =>
    readers.withCard(READER_0, async (transmit) => (await probeCard(new ApduChannel(transmit)))!.verify('auth', value));

  return {
    readers,
    database: () => database,
    pins: () => createPinService({ readers, audit: pinAuditWriter(database, async () => 'Teststation') }),
    insert,
    verifyOnCard,
  };
}
