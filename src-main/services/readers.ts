// Procedures about readers and the card in them, before any profile is known.
import type { ReaderService } from '../card/readers';
import type { Handlers } from '../router';

const SELECT_PKCS15 = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, 0x0c, 0xa0, 0x00, 0x00, 0x00, 0x63, 0x50, 0x4b, 0x43, 0x53, 0x2d, 0x31, 0x35]);

export function readerHandlers(readers: ReaderService): Pick<Handlers, 'readers.list' | 'card.probe'> {
  return {
    'readers.list': () => readers.snapshot(),
    'card.probe': async ({ reader }) => {
      const response = await readers.withCard(reader, (transmit) => transmit(SELECT_PKCS15));
      const atr = readers.snapshot().readers.find((info) => info.name === reader)?.atr ?? '';
      const sw = ((response[response.length - 2] ?? 0) << 8) | (response[response.length - 1] ?? 0);
      return { reader, atr, pkcs15Application: sw === 0x9000 };
    },
  };
}
