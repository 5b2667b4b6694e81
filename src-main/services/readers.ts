// Procedures about readers, the card test, and the revocation lists it checks against.
import type { Kysely } from 'kysely';
import type { ReaderService } from '../card/readers';
import type { Database } from '../db/schema';
import type { Handlers } from '../router';
import type { CardTestService } from './card-tests';
import { importCrl } from './crls';

export function readerHandlers(
  readers: ReaderService,
  cardTests: CardTestService,
  db: Kysely<Database>,
): Pick<Handlers, 'readers.list' | 'card.results' | 'card.test' | 'crl.import'> {
  return {
    'readers.list': () => readers.snapshot(),
    'card.results': () => cardTests.results(),
    'card.test': ({ reader }) => cardTests.run(reader),
    'crl.import': ({ contentBase64 }) => importCrl(db, Uint8Array.from(Buffer.from(contentBase64, 'base64'))),
  };
}
