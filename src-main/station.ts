// Builds one station: database, readers and the router over them, shared by the Electron, web and CLI hosts.
import { join } from 'node:path';
import packageJson from '../package.json' with { type: 'json' };
import type { AppInfo, StationEvent } from '@shared/contract';
import { ReaderService } from './card/readers';
import { openDatabase, type OpenDatabase } from './db/open';
import { createRouter, type Router } from './router';
import { loadTrustedCertificates } from './card/trust-store';
import { AuthService } from './staff/auth';
import { authHandlers } from './staff/handlers';
import { createCardLifecycle } from './cards/lifecycle';
import { cardLifecycleHandlers } from './cards/handlers';
import { CardTestService } from './cards/card-tests';
import { currentCrls } from './cards/crls';
import { peopleHandlers } from './people/handlers';
import { auditHandlers } from './audit/handlers';
import { auditFinishedCalls } from './audit/audited-calls';
import { auditKeyFromDataKey } from './audit/key';
import { pinHandlers } from './pins/handlers';
import { faqHandlers } from './faq/handlers';
import { screenSaverHandlers } from './organisation/screen-saver';
import { readerHandlers } from './cards/reader-handlers';
import { createStaffService } from './staff/staff';
import { stationNameReader } from './organisation/station-label';
import { startReminders } from './mail/reminders';
import { createMailSender } from './mail/outbox';
import type { MailConfig } from './mail/config';
import { reportHandlers } from './reports/handlers';
import { tokenHandlers } from './tokens/handlers';
import { keyFileDataKeySource, type DataKeySource } from './tokens/seed-crypto';

export interface StationOptions {
  dataDir: string;
  /** The region database's postgres:// URL instead of the SQLite file in dataDir. */
  database?: string;
  host: AppInfo['host'];
  /** Folders of trusted root certificates: resources/trust and any configured one. */
  trustDirs: readonly string[];
  nativeBinding?: string;
  /** The key that seals OTP seeds; defaults to a key file in dataDir (browser mode, CLI). */
  dataKey?: DataKeySource;
  /** The clock of logins and lockouts; tests move it. */
  now?: () => Date;
  /** The SMTP relay; without it e-mail waits in the outbox. */
  mail?: MailConfig;
  /** Virtual card readers, for tests and training only. */
  allowVirtualReaders: boolean;
}

export interface Station {
  router: Router;
  readers: ReaderService;
  cardTests: CardTestService;
  auth: AuthService;
  database: OpenDatabase;
  onEvent(listener: (event: StationEvent) => void): () => void;
  close(): Promise<void>;
}

export const DATABASE_FILE = 'kortstation.sqlite';

export async function openStation(options: StationOptions): Promise<Station> {
  const dataKey = options.dataKey ?? keyFileDataKeySource(options.dataDir);
  const database = await openDatabase(options.database ?? join(options.dataDir, DATABASE_FILE), { nativeBinding: options.nativeBinding, auditKey: auditKeyFromDataKey(dataKey) });
  const readers = new ReaderService({ allowVirtualReaders: options.allowVirtualReaders });
  const trust = { trustedRoots: () => loadTrustedCertificates(options.trustDirs), crls: () => currentCrls(database.db) };
  const cardTests = new CardTestService(readers, trust);
  const cardLifecycle = createCardLifecycle({ sqlite: database.sqlite, cardTests, now: options.now });
  // every completed test of a known card refreshes its certificates' end date for the expiry worklist
  cardTests.on('event', (event) => event.type === 'card-test' && event.state === 'done' && cardLifecycle.recordCardTest(event.report));
  readers.start();
  const auth = new AuthService({ sqlite: database.sqlite, readers, trust, dataKey, now: options.now });
  auth.start();
  const stationName = stationNameReader(database.sqlite);
  const mailSender = options.mail && createMailSender({ sqlite: database.sqlite, ...options.mail, now: options.now });
  const router = createRouter(
    {
      'app.info': () => ({ version: packageJson.version, host: options.host, migrations: database.appliedMigrations }),
      ...readerHandlers({ readers, cardTests, trust, database, station: stationName }),
      ...authHandlers(auth, createStaffService(auth, database.sqlite, dataKey, options.now)),
      ...peopleHandlers(database, stationName),
      ...cardLifecycleHandlers(database.sqlite, cardLifecycle, stationName, options.now),
      ...pinHandlers(readers, database, stationName, trust),
      ...faqHandlers(database.sqlite),
      ...screenSaverHandlers(database.db),
      ...auditHandlers(database, stationName),
      ...tokenHandlers({ sqlite: database.sqlite, dataKey, station: stationName, now: options.now ?? (() => new Date()) }),
      ...reportHandlers({ sqlite: database.sqlite, station: stationName, now: options.now ?? (() => new Date()), mail: mailSender }),
    },
    {
      onInternalError: (procedure, error) => console.error(`[router] ${procedure} failed:`, error),
      onFinished: auditFinishedCalls(database.sqlite, stationName),
    },
  );
  mailSender?.start();
  const stopReminders = startReminders(database.sqlite, stationName, options.now ?? (() => new Date()));
  return {
    router,
    readers,
    cardTests,
    auth,
    database,
    onEvent(listener) {
      readers.on('event', listener);
      // windows hear of a finished test before it is recorded, so the verdict never waits for the database
      cardTests.prependListener('event', listener);
      return () => {
        readers.off('event', listener);
        cardTests.off('event', listener);
      };
    },
    async close() {
      auth.stop();
      mailSender?.stop();
      stopReminders();
      readers.stop();
      await database.close();
    },
  };
}
