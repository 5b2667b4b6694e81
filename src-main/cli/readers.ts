// `cli readers`: the readers pcscd sees and the card in each.
import { ReaderService } from '../card/readers';
import { CliError, type CliCommand } from './command';

/** Exit code when PC/SC or the reader/card the command needs is not there. */
export const EXIT_NO_READER = 2;

export const readersCommand: CliCommand = {
  summary: 'list the card readers and the card in each',
  // no database at all, so a region's KORTSTATION_DATABASE_URL does not stop it
  async run({ allowVirtualReaders }) {
    const readers = new ReaderService({ allowVirtualReaders });
    readers.start();
    try {
      const snapshot = await readers.ready();
      if (!snapshot.serviceUp) {
        throw new CliError('pcsc-unavailable', 'The PC/SC service (pcscd) is not running: start it with "pcscd" or "systemctl start pcscd.socket".', EXIT_NO_READER);
      }
      const text = snapshot.readers.length === 0
        ? 'No card readers found.'
        : snapshot.readers.map((r) => `${r.name}: ${r.cardPresent ? `card present, ATR ${r.atr}` : 'no card'}`).join('\n');
      return { output: snapshot.readers, text };
    } finally {
      readers.stop();
    }
  },
};
