// Procedures of the card test: readers, the test itself, and the revocation lists it checks against.
import * as v from 'valibot';
import type { CardTestReport } from '../card-report';
import type { PcscSnapshot } from '../readers';
import { noInput, procedure } from './procedure';

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

/** A text file for download: the support trace of a card test. */
export interface CardTraceFile {
  fileName: string;
  text: string;
}

export const readerName = v.pipe(v.string(), v.minLength(1), v.maxLength(200));

export const cardProcedures = {
  'readers.list': procedure<PcscSnapshot>()(noInput, 'anyone'),
  'card.results': procedure<CardTestState[]>()(noInput, 'anyone'),
  'card.test': procedure<CardTestReport>()(v.strictObject({ reader: readerName }), 'anyone'),
  // anyone at the kiosk: a CRL is public and only one signed by a trusted CA is accepted
  'crl.import': procedure<CrlImportResult>()(
    v.strictObject({ contentBase64: v.pipe(v.string(), v.base64(), v.maxLength(Math.ceil(MAX_CRL_BYTES / 3) * 4)) }),
    'anyone',
  ),
  'crl.list': procedure<CrlInfo[]>()(noInput, 'anyone'),
  // staff send it to support; it holds the card's certificates, so not for anyone at the kiosk
  'card.trace': procedure<CardTraceFile>()(v.strictObject({ reader: readerName }), ['operator', 'station-admin', 'org-admin']),
} as const;

export const CARD_ERROR_CODES = [
  'pcsc-unavailable',
  'reader-not-found',
  'no-card',
  'reader-busy',
  'card-removed',
  'transmit-failed',
  'crl-invalid',
  'crl-untrusted',
] as const;
