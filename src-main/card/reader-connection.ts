// A Promise API over one pcsclite reader connection, with PC/SC failures turned into coded errors.
import type { CardReader } from 'pcsclite';
import { ReaderError } from './reader-error';

export type ReaderTransmit = (command: Uint8Array) => Promise<Uint8Array>;

// exclusive for one operation only: pcsclite has no SCardBeginTransaction, and another client's APDUs between ours
// (a second station, the CLI, middleware) select other files mid-test and make a healthy card read as corrupt
const SCARD_SHARE_EXCLUSIVE = 1;
const SCARD_LEAVE_CARD = 0;
const SCARD_RESET_CARD = 1;
/** Room for an extended-length response (65536 data bytes + SW1 SW2). */
const MAX_RESPONSE_LENGTH = 65538;
/** PC/SC return codes that mean the card is no longer there (removed, reset, or never answered). */
const CARD_GONE_CODES = ['0x80100069', '0x80100068', '0x8010000c', '0x80100066', '0x80100017'];
/** A disconnect normally takes milliseconds; behind a command the card never answered, pcscd holds it until the card leaves. */
const DISCONNECT_WAIT_MS = 2000;
/** SCARD_E_SHARING_VIOLATION: another client is connected to the card right now. */
const SHARING_VIOLATION = '0x8010000b';

function toReaderError(error: Error): ReaderError {
  const text = error.message.toLowerCase();
  if (text.includes(SHARING_VIOLATION) || text.includes('sharing violation')) return new ReaderError('reader-busy', 'Another program is using the card', { cause: error });
  const gone = CARD_GONE_CODES.some((code) => text.includes(code)) || /removed|no smart card|reset/.test(text);
  return gone
    ? new ReaderError('card-removed', 'The card was removed', { cause: error })
    : new ReaderError('transmit-failed', 'The reader did not complete the command', { cause: error });
}

function connect(reader: CardReader): Promise<number> {
  return new Promise((resolve, reject) => {
    reader.connect({ share_mode: SCARD_SHARE_EXCLUSIVE }, (error, protocol) => (error ? reject(toReaderError(error)) : resolve(protocol)));
  });
}

/** Resolves when pcscd has let go of the card, or after DISCONNECT_WAIT_MS: a mute card must not hold back the verdict on it. */
function disconnect(reader: CardReader, reset: boolean): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const released = new Promise<void>((resolve) => reader.disconnect(reset ? SCARD_RESET_CARD : SCARD_LEAVE_CARD, () => resolve()));
  const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, DISCONNECT_WAIT_MS)));
  return Promise.race([released, waited]).finally(() => clearTimeout(timer));
}

export interface ConnectionOptions {
  /** Reset the card when done, so a PIN verified or changed here leaves no open session behind. */
  resetAfter?: boolean;
}

export async function withReaderConnection<T>(reader: CardReader, work: (transmit: ReaderTransmit) => Promise<T>, options: ConnectionOptions = {}): Promise<T> {
  const protocol = await connect(reader);
  const transmit: ReaderTransmit = (command) =>
    new Promise((resolve, reject) => {
      reader.transmit(Buffer.from(command), MAX_RESPONSE_LENGTH, protocol, (error, data) =>
        error ? reject(toReaderError(error)) : resolve(new Uint8Array(data)),
      );
    });
  try {
    return await work(transmit);
  } finally {
    await disconnect(reader, options.resetAfter === true);
  }
}
