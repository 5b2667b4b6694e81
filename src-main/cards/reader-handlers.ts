// Procedures about readers, the card test, and the revocation lists it checks against.
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { ReaderService } from '../card/readers';
import type { Database } from '../db/schema';
import type { Handlers } from '../router';
import { auditedBySession } from '../audit/audited-by';
import type { CardTestService, TrustSource } from './card-tests';
import { importCrl, listCrls } from './crls';

interface ReaderServices {
  readers: ReaderService;
  cardTests: CardTestService;
  trust: TrustSource;
  database: { db: Kysely<Database>; sqlite: BetterSqlite3.Database };
  station: () => string;
}

export function readerHandlers({ readers, cardTests, trust, database, station }: ReaderServices): Pick<Handlers, 'readers.list' | 'card.results' | 'card.test' | 'card.trace' | 'crl.import' | 'crl.list'> {
  return {
    'readers.list': () => readers.snapshot(),
    'card.results': () => cardTests.results(),
    'card.test': ({ reader }) => cardTests.run(reader),
    'card.trace': ({ reader }) => ({ fileName: `kortsparning-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.txt`, text: cardTests.trace(reader) }),
    'crl.import': ({ contentBase64 }, { session }) => importCrl(database, Uint8Array.from(Buffer.from(contentBase64, 'base64')), trust.trustedRoots(), auditedBySession(session, station)),
    'crl.list': () => listCrls(database.db),
  };
}
