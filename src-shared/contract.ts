// THE api between the renderer (or CLI, or browser) and main: every domain's procedures merged, errors, events.
import type * as v from 'valibot';
import type { ReaderInfo } from './readers';
import { auditProcedures } from './contract/audit';
import { AUTH_ERROR_CODES, authProcedures, type SessionEndReason } from './contract/auth';
import { CARD_ERROR_CODES, cardProcedures, type CardTestState } from './contract/cards';
import { CARD_LIFECYCLE_ERROR_CODES, cardLifecycleProcedures } from './contract/cards-lifecycle';
import { faqProcedures } from './contract/faq';
import { PEOPLE_ERROR_CODES, peopleProcedures } from './contract/people';
import { PIN_ERROR_CODES, pinProcedures } from './contract/pins';
import { PRIVACY_ERROR_CODES, privacyProcedures } from './contract/privacy';
import { REPORT_ERROR_CODES, reportProcedures } from './contract/reports';
import { screenSaverProcedures } from './contract/screen-saver';
import { TOKEN_ERROR_CODES, tokenProcedures } from './contract/tokens';
import { WORK_ERROR_CODES, workProcedures, type WorkProgressEvent } from './contract/work';
import { noInput, procedure } from './contract/procedure';

export * from './contract/procedure';
export * from './contract/audit';
export * from './contract/auth';
export * from './contract/cards';
export * from './contract/cards-lifecycle';
export * from './contract/faq';
export * from './contract/people';
export * from './contract/pins';
export * from './contract/privacy';
export * from './contract/reports';
export * from './contract/screen-saver';
export * from './contract/tokens';
export * from './contract/work';

export interface AppInfo {
  version: string;
  /** server: `npm run serve`, the staff pages over HTTPS for unit administrators' desks, with no card readers. */
  host: 'electron' | 'web' | 'server';
  migrations: number;
  register: { engine: 'sqlite' | 'postgres'; reachable: boolean };
}

export const procedures = {
  'app.info': procedure<AppInfo>()(noInput, 'anyone'),
  ...auditProcedures,
  ...authProcedures,
  ...cardProcedures,
  ...cardLifecycleProcedures,
  ...faqProcedures,
  ...peopleProcedures,
  ...pinProcedures,
  ...privacyProcedures,
  ...reportProcedures,
  ...screenSaverProcedures,
  ...tokenProcedures,
  ...workProcedures,
} as const;

export type ProcedureName = keyof typeof procedures;
export const procedureNames = Object.keys(procedures) as ProcedureName[];

/**
 * Procedures only a kiosk serves; server mode refuses them with 'kiosk-only'. They read a card in the station's reader
 * (the card test, PINs, card login, handover of the card in the reader, the PUK route's check of the card), or set up a new
 * station (the first run: anyone reaching a server must not become its first administrator).
 */
export const KIOSK_ONLY_PROCEDURES = [
  'readers.list',
  'card.results',
  'card.test',
  'card.trace',
  'pin.status',
  'pin.change',
  'pin.unblock',
  'pin.proveKey',
  'pukRoute.checkId',
  'auth.loginCard',
  'cardOrders.handover',
  'setup.firstRun',
] as const satisfies readonly ProcedureName[];

export const isKioskOnly = (name: ProcedureName): boolean => (KIOSK_ONLY_PROCEDURES as readonly string[]).includes(name);
export type ProcedureInput<N extends ProcedureName> = v.InferInput<(typeof procedures)[N]['input']>;
export type ProcedureOutput<N extends ProcedureName> = NonNullable<(typeof procedures)[N]['output']>;

/** Every call's reply: never a thrown error across the boundary. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

export const ERROR_CODES = [
  'unknown-procedure',
  'invalid-input',
  'forbidden',
  'not-logged-in',
  'internal',
  /** The region database did not answer: nothing was done, the call may be repeated. */
  'register-unavailable',
  /** Server mode: the procedure needs the kiosk's card reader (or is the kiosk's own first set-up). */
  'kiosk-only',
  /** Server mode: too many requests from this address or for this account; try again after Retry-After. */
  'rate-limited',
  ...AUTH_ERROR_CODES,
  ...CARD_ERROR_CODES,
  ...CARD_LIFECYCLE_ERROR_CODES,
  ...PEOPLE_ERROR_CODES,
  ...PIN_ERROR_CODES,
  ...PRIVACY_ERROR_CODES,
  ...REPORT_ERROR_CODES,
  ...TOKEN_ERROR_CODES,
  ...WORK_ERROR_CODES,
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What main pushes to every window. */
export type StationEvent =
  | { type: 'pcsc-service'; up: boolean }
  /** The region database answers again, or stopped answering (never sent for the station's own SQLite file). */
  | { type: 'register'; reachable: boolean }
  | { type: 'reader-added'; reader: ReaderInfo }
  | { type: 'reader-removed'; name: string }
  /** `at`: when main learnt it (see event-time.ts), so a window can tell how long the news took to show. */
  | { type: 'card-inserted'; reader: string; atr: string; at: number }
  | { type: 'card-removed'; reader: string; at: number }
  | ({ type: 'card-test'; at: number } & CardTestState)
  /** Sent only to the window whose staff session ended (Electron); browser tabs notice through auth.status. */
  | { type: 'session-ended'; reason: SessionEndReason }
  /** Sent only to the window whose session started the job. */
  | WorkProgressEvent;

/** The object the preload exposes and the browser client mirrors: one method per procedure. */
export type KortstationBridge = {
  [N in ProcedureName]: (input: ProcedureInput<N>) => Promise<Envelope<ProcedureOutput<N>>>;
} & {
  onEvent(listener: (event: StationEvent) => void): () => void;
};
