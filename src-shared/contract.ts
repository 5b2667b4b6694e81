// THE api between the renderer (or CLI, or browser) and main: procedures, their input schemas, outputs, roles and events.
import * as v from 'valibot';
import type { CardTestReport } from './card-report';
import type { PcscSnapshot, ReaderInfo } from './readers';

export const ROLES = ['operator', 'station-admin', 'org-admin', 'unit-admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who may call a procedure: 'anyone' needs no login (the card test at the counter), otherwise one of the roles. */
export type Access = 'anyone' | readonly Role[];

export interface AppInfo {
  version: string;
  host: 'electron' | 'web';
  migrations: number;
}

/** The card test of one reader: running, or its report (until the card is removed). */
export type CardTestState = { reader: string; state: 'running' } | { reader: string; state: 'done'; report: CardTestReport };

export interface CrlInfo {
  issuer: string;
  thisUpdate: string;
  nextUpdate: string | null;
}

export interface CrlImportResult extends CrlInfo {
  /** false when the station already had a list from that issuer at least as new. */
  replaced: boolean;
}

/** The largest revocation list the UI may send (base64 of the DER or PEM file). */
export const MAX_CRL_BYTES = 20 * 1024 * 1024;

const readerName = v.pipe(v.string(), v.minLength(1), v.maxLength(200));

/** Declares a procedure returning O; `output` exists only in the type system. */
function procedure<O>() {
  return <const S extends v.GenericSchema>(input: S, access: Access): { input: S; access: Access; output?: O } => ({ input, access });
}

const noInput = v.strictObject({});

export const procedures = {
  'app.info': procedure<AppInfo>()(noInput, 'anyone'),
  'readers.list': procedure<PcscSnapshot>()(noInput, 'anyone'),
  'card.results': procedure<CardTestState[]>()(noInput, 'anyone'),
  'card.test': procedure<CardTestReport>()(v.strictObject({ reader: readerName }), 'anyone'),
  // anyone at the kiosk: a CRL is public and only one signed by a trusted CA is accepted
  'crl.import': procedure<CrlImportResult>()(
    v.strictObject({ contentBase64: v.pipe(v.string(), v.base64(), v.maxLength(Math.ceil(MAX_CRL_BYTES / 3) * 4)) }),
    'anyone',
  ),
  'crl.list': procedure<CrlInfo[]>()(noInput, 'anyone'),
} as const;

export type ProcedureName = keyof typeof procedures;
export const procedureNames = Object.keys(procedures) as ProcedureName[];
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
  'pcsc-unavailable',
  'reader-not-found',
  'no-card',
  'reader-busy',
  'card-removed',
  'transmit-failed',
  'crl-invalid',
  'crl-untrusted',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What main pushes to every window. */
export type StationEvent =
  | { type: 'pcsc-service'; up: boolean }
  | { type: 'reader-added'; reader: ReaderInfo }
  | { type: 'reader-removed'; name: string }
  | { type: 'card-inserted'; reader: string; atr: string }
  | { type: 'card-removed'; reader: string }
  | ({ type: 'card-test' } & CardTestState);

/** The object the preload exposes and the browser client mirrors: one method per procedure. */
export type KortstationBridge = {
  [N in ProcedureName]: (input: ProcedureInput<N>) => Promise<Envelope<ProcedureOutput<N>>>;
} & {
  onEvent(listener: (event: StationEvent) => void): () => void;
};
