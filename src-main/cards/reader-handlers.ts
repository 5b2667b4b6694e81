// Procedures about readers, the card test, and the revocation lists it checks against.
import type { ReaderService } from '../card/readers';
import type { Db } from '../db/data-layer';
import type { StationName } from '../organisation/station-label';
import type { Handlers } from '../router';
import { auditedBySession } from '../audit/audited-by';
import type { CardTestService, TrustSource } from './card-tests';
import { importCrl, listCrls } from './crls';

interface ReaderServices {
  readers: ReaderService;
  cardTests: CardTestService;
  trust: TrustSource;
  db: Db;
  station: StationName;
}

export function readerHandlers({ readers, cardTests, trust, db, station }: ReaderServices): Pick<Handlers, 'readers.list' | 'card.results' | 'card.test' | 'card.trace' | 'crl.import' | 'crl.list'> {
  return {
    'readers.list': () => readers.snapshot(),
    'card.results': () => cardTests.results(),
    'card.test': ({ reader }) => cardTests.run(reader),
    'card.trace': ({ reader }) => ({ fileName: `kortsparning-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.txt`, text: cardTests.trace(reader) }),
    'crl.import': async ({ contentBase64 }, { session }) => importCrl(db, Uint8Array.from(Buffer.from(contentBase64, 'base64')), trust.trustedRoots(), await auditedBySession(session, station)),
    'crl.list': () => listCrls(db),
  };
}
