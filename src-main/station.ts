// Builds one station: database, readers and the router over them, shared by the Electron, web and CLI hosts.
import { join } from 'node:path';
import packageJson from '../package.json' with { type: 'json' };
import type { AppInfo, StationEvent } from '@shared/contract';
import { ReaderService } from './card/readers';
import { DATABASE_FILE, isPostgresUrl } from './db/location';
import { openDatabase, type OpenRegister } from './db/open';
import type { Db } from './db/data-layer';
import { lastKnownWhenLost } from './db/last-known';
import { watchRegister } from './db/register-health';
import { createRouter, type Router } from './router';
import { loadTrustedCertificates } from './card/trust-store';
import { AuthService } from './staff/auth';
import { authHandlers } from './staff/handlers';
import { createCardLifecycle } from './cards/lifecycle';
import { cardLifecycleHandlers } from './cards/handlers';
import { CardTestService } from './cards/card-tests';
import { currentCrls } from './cards/crls';
import { peopleHandlers } from './people/handlers';
import { requireCanEdit } from './organisation/unit-admins';
import { auditHandlers } from './audit/handlers';
import { retentionHandlers } from './privacy/handlers';
import { startRetention } from './privacy/retention';
import { auditFinishedCalls } from './audit/audited-calls';
import { auditKeyFromDataKey } from './audit/key';
import { pinHandlers } from './pins/handlers';
import { faqHandlers } from './faq/handlers';
import { screenSaverHandlers } from './organisation/screen-saver';
import { readerHandlers } from './cards/reader-handlers';
import { createStaffService } from './staff/staff';
import { stationNameReader } from './organisation/station-label';
import { joinRegion, readStationIdentity, StationNotJoinedError, writeStationIdentity, type JoinRequest, type StationIdentity } from './organisation/station-identity';
import { startReminders } from './mail/reminders';
import { createMailSender } from './mail/outbox';
import type { MailConfig } from './mail/config';
import { createSmsSender, type SmsConfig } from './mail/sms';
import { createInvitations } from './staff/invitations';
import { createPasswordReset } from './staff/password-reset';
import { reportHandlers } from './reports/handlers';
import { tokenHandlers } from './tokens/handlers';
import { keyFileDataKeySource, type DataKeySource } from './tokens/seed-crypto';
import { WorkJobs } from './work/jobs';

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
  /** The HTTP SMS gateway (KORTSTATION_SMS_URL); without it SMS reset codes wait in the outbox. */
  sms?: SmsConfig;
  /** KORTSTATION_PUBLIC_URL, the address invitation links point to; without it no invitation can be sent (a clear refusal). */
  publicUrl?: string;
  /** Virtual card readers, for tests and training only. */
  allowVirtualReaders: boolean;
  /** The station this kiosk registers as on its first start against the region database (KORTSTATION_STATION_NAME). */
  joinAs?: JoinRequest;
  /** Server mode (host 'server'): the name its audit entries carry; it joins no region as a station and starts no card readers. */
  serverName?: string;
}

export interface Station {
  router: Router;
  readers: ReaderService;
  cardTests: CardTestService;
  auth: AuthService;
  database: OpenRegister;
  /** Long work under way; its progress events belong to one session each and go only to that session's window. */
  work: WorkJobs;
  onEvent(listener: (event: StationEvent) => void): () => void;
  close(): Promise<void>;
}

export { DATABASE_FILE };

/** The name server mode's audit entries carry unless --name gives another. */
export const SERVER_NAME = 'Enhetsportalen';

const hasStaff = async (db: Db): Promise<boolean> => ((await db.value<number>('SELECT COUNT(*) FROM staff_account')) ?? 0) > 0;

export async function openStation(options: StationOptions): Promise<Station> {
  const dataKey = options.dataKey ?? keyFileDataKeySource(options.dataDir);
  const location = options.database ?? join(options.dataDir, DATABASE_FILE);
  // on the region database the kiosk is the station its data folder joined as; without one it refuses rather than guess
  const onRegion = isPostgresUrl(location);
  const server = options.host === 'server';
  const identity = onRegion && !server ? readStationIdentity(options.dataDir) : undefined;
  const auditName = server ? (options.serverName ?? SERVER_NAME) : identity?.name;
  const db = await openDatabase(location, { nativeBinding: options.nativeBinding, auditKey: auditKeyFromDataKey(dataKey), ...(auditName ? { station: auditName } : {}) });
  try {
    if (onRegion && !identity && !server) {
      if (options.joinAs) db.station = (await joinRegion(db, options.dataDir, options.joinAs, null)).name;
      // only the kiosk that sets a new region up may start nameless: its first run names it
      else if (await hasStaff(db)) throw new StationNotJoinedError(options.dataDir);
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const firstStationJoined = (joined: StationIdentity): void => {
    writeStationIdentity(options.dataDir, joined);
    db.station = joined.name;
  };
  const readers = new ReaderService({ allowVirtualReaders: options.allowVirtualReaders });
  const health = watchRegister(db);
  const trust = { trustedRoots: () => loadTrustedCertificates(options.trustDirs), crls: lastKnownWhenLost(() => currentCrls(db)) };
  // read once now, so a card test has CRLs to fall back on if the region database is lost before the first one
  void trust.crls().catch(() => {});
  const cardTests = new CardTestService(readers, trust);
  const cardLifecycle = createCardLifecycle({ db, cardTests, now: options.now });
  // every completed test of a known card refreshes its certificates' end date for the expiry worklist
  cardTests.on('event', (event) => {
    // a listener cannot wait; a failed refresh only delays the worklist
    if (event.type === 'card-test' && event.state === 'done') void cardLifecycle.recordCardTest(event.report).catch((error: unknown) => console.error('[cards] recording the card test failed:', error));
  });
  // a server has no card readers and needs no pcscd: its readers stay empty
  if (!server) readers.start();
  const auth = new AuthService({ db, readers, trust, dataKey, now: options.now });
  auth.start();
  const stationName = stationNameReader(db);
  const mailSender = options.mail && createMailSender({ db, ...options.mail, dataKey, now: options.now });
  const smsSender = options.sms && createSmsSender({ db, gateway: options.sms, dataKey, now: options.now });
  const clock = options.now ?? (() => new Date());
  const invitations = createInvitations({ db, store: auth.store, dataKey, now: clock, publicUrl: options.publicUrl, audit: (actor, action, details) => auth.audit(actor, action, 'ok', details) });
  const sendMailNow = (): void => void mailSender?.deliverQueuedNow().catch((error: unknown) => console.error('[outbox] mail delivery round failed:', error));
  // the person waits at the screen for the code: a round starts now rather than at the next tick
  const sendSmsNow = (): void => void smsSender?.deliverQueuedNow().catch((error: unknown) => console.error('[outbox] sms delivery round failed:', error));
  const passwordReset = createPasswordReset({ db, store: auth.store, dataKey, now: clock, audit: (actor, action, outcome, details) => auth.audit(actor, action, outcome, details), codeQueued: sendSmsNow });
  const work = new WorkJobs();
  const router = createRouter(
    requireCanEdit(db, {
      'app.info': () => ({ version: packageJson.version, host: options.host, migrations: db.appliedMigrations, register: { engine: db.engine, reachable: health.reachable() } }),
      ...readerHandlers({ readers, cardTests, trust, db, station: stationName }),
      ...authHandlers(auth, createStaffService({ auth, db, dataKey, invitations, now: clock, firstStationJoined, mailQueued: sendMailNow }), invitations, passwordReset),
      'work.cancel': ({ jobId }, context) => ({ cancelled: work.cancel(context.session.id, jobId) }),
      ...peopleHandlers(db, stationName, work, options.now),
      ...cardLifecycleHandlers(db, cardLifecycle, stationName, work, options.now),
      ...pinHandlers(readers, db, stationName, trust),
      ...faqHandlers(db),
      ...screenSaverHandlers(db),
      ...auditHandlers(db, stationName, work),
      ...retentionHandlers(db, stationName, options.now ?? (() => new Date())),
      ...tokenHandlers({ db, dataKey, station: stationName, now: options.now ?? (() => new Date()) }, work),
      ...reportHandlers({ db, station: stationName, now: options.now ?? (() => new Date()), mail: mailSender, work }),
    }),
    {
      onInternalError: (procedure, error) => console.error(`[router] ${procedure} failed:`, error),
      onFinished: auditFinishedCalls(db, stationName),
      onRegisterLost: () => health.noteLost(),
      kioskOnlyRefused: server,
    },
  );
  mailSender?.start();
  // a reset code is worth 10 minutes: the gateway is asked often
  smsSender?.start(5_000);
  const stopReminders = startReminders(db, stationName, options.now ?? (() => new Date()));
  const stopRetention = startRetention(db, stationName, options.now ?? (() => new Date()));
  return {
    router,
    readers,
    cardTests,
    auth,
    database: db,
    work,
    onEvent(listener) {
      readers.on('event', listener);
      const stopRegister = health.onChange((reachable) => listener({ type: 'register', reachable }));
      // windows hear of a finished test before it is recorded, so the verdict never waits for the database
      cardTests.prependListener('event', listener);
      return () => {
        readers.off('event', listener);
        cardTests.off('event', listener);
        stopRegister();
      };
    },
    async close() {
      auth.stop();
      mailSender?.stop();
      smsSender?.stop();
      stopReminders();
      stopRetention();
      readers.stop();
      health.stop();
      await db.close();
    },
  };
}
