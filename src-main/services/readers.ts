// Procedures about readers, the card test, and the revocation lists it checks against.
import type { Kysely } from 'kysely';
import type { ReaderService } from '../card/readers';
import type { Database } from '../db/schema';
import type { Handlers } from '../router';
import type { CardTestService, TrustSource } from './card-tests';
import { importCrl, listCrls } from './crls';

interface ReaderServices {
  readers: ReaderService;
  cardTests: CardTestService;
  trust: TrustSource;
  db: Kysely<Database>;
}

export function readerHandlers({ readers, cardTests, trust, db }: ReaderServices): Pick<Handlers, 'readers.list' | 'card.results' | 'card.test' | 'crl.import' | 'crl.list'> {
  return {
    'readers.list': () => readers.snapshot(),
    'card.results': () => cardTests.results(),
    'card.test': ({ reader }) => cardTests.run(reader),
    'crl.import': ({ contentBase64 }) => importCrl(db, Uint8Array.from(Buffer.from(contentBase64, 'base64')), trust.trustedRoots()),
    'crl.list': () => listCrls(db),
  };
}
