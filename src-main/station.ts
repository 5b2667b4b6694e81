// Builds one station: database, readers and the router over them, shared by the Electron, web and CLI hosts.
import { join } from 'node:path';
import packageJson from '../package.json' with { type: 'json' };
import type { AppInfo, StationEvent } from '@shared/contract';
import { ReaderService } from './card/readers';
import { openDatabase, type OpenDatabase } from './db/open';
import { createRouter, type Router } from './router';
import { loadTrustedCertificates } from './card/trust-store';
import { CardTestService } from './services/card-tests';
import { currentCrls } from './services/crls';
import { pinHandlers } from './services/pin-handlers';
import { readerHandlers } from './services/readers';
import { stationLabel } from './services/station-label';

export interface StationOptions {
  dataDir: string;
  host: AppInfo['host'];
  /** Folders of trusted root certificates: resources/trust and any configured one. */
  trustDirs: readonly string[];
  nativeBinding?: string;
}

export interface Station {
  router: Router;
  readers: ReaderService;
  cardTests: CardTestService;
  database: OpenDatabase;
  onEvent(listener: (event: StationEvent) => void): () => void;
  close(): Promise<void>;
}

export const DATABASE_FILE = 'kortstation.sqlite';

export async function openStation(options: StationOptions): Promise<Station> {
  const database = await openDatabase(join(options.dataDir, DATABASE_FILE), { nativeBinding: options.nativeBinding });
  const readers = new ReaderService();
  const trust = { trustedRoots: () => loadTrustedCertificates(options.trustDirs), crls: () => currentCrls(database.db) };
  const cardTests = new CardTestService(readers, trust);
  readers.start();
  const router = createRouter(
    {
      'app.info': () => ({ version: packageJson.version, host: options.host, migrations: database.appliedMigrations }),
      ...readerHandlers({ readers, cardTests, trust, db: database.db }),
      ...pinHandlers(readers, database.sqlite, await stationLabel(database.db)),
    },
    { onInternalError: (procedure, error) => console.error(`[router] ${procedure} failed:`, error) },
  );
  return {
    router,
    readers,
    cardTests,
    database,
    onEvent(listener) {
      readers.on('event', listener);
      cardTests.on('event', listener);
      return () => {
        readers.off('event', listener);
        cardTests.off('event', listener);
      };
    },
    async close() {
      readers.stop();
      await database.close();
    },
  };
}
