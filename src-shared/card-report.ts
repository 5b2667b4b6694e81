// The result of "Testa ditt kort", as the CLI prints it (JSON) and the renderer shows it.
import type { FindingKey, FindingParams } from './i18n/findings';

export type CardProfileName = 'pkcs15' | 'piv' | 'unknown';
export type CertificateRole = 'auth' | 'sign' | 'other';
export type CertificateStatus = 'valid' | 'expiring' | 'expired' | 'not-yet-valid' | 'revoked' | 'untrusted';
export type PinRole = 'auth' | 'sign' | 'puk';
export type Severity = 'info' | 'warning' | 'error';
export type Verdict = 'ok' | 'warning' | 'error';
/** complete: the whole card was read; removed: the card left the reader mid-test, nothing else is reported. */
export type CardTestOutcome = 'complete' | 'removed';

export type FindingCode =
  | 'card-ok'
  | 'card-removed'
  | 'card-data-corrupt'
  | 'card-key-mismatch'
  | 'card-transmit-failed'
  | 'unknown-card'
  | 'card-identified'
  | 'card-not-responding'
  | 'auth-certificate-missing'
  | 'sign-certificate-missing'
  | 'certificate-expired'
  | 'certificate-expiring'
  | 'certificate-not-yet-valid'
  | 'certificate-revoked'
  | 'certificate-untrusted'
  | 'card-old'
  | 'pin-blocked'
  | 'pin-last-try'
  | 'pin-tries-unknown'
  | 'puk-blocked'
  | 'crl-stale'
  | 'crl-invalid'
  | 'revocation-unknown';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** Swedish, as the CLI prints it. */
  message: string;
  /** The catalogue entry the message was worded from, so the renderer can word it in the chosen language. */
  text?: { key: FindingKey; params: FindingParams };
}

export interface CardCertificateReport {
  role: CertificateRole;
  subject: string;
  issuer: string;
  /** hex, lowercase */
  serialNumber: string;
  /** ISO 8601 */
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the DER, hex lowercase */
  sha256: string;
  status: CertificateStatus;
  /** Whole days until notAfter; negative once expired. */
  daysLeft: number;
}

export interface CardPinReport {
  role: PinRole;
  /** null when the card would not tell without a PIN being tried. */
  triesLeft: number | null;
  blocked: boolean;
}

export interface CardTestReport {
  outcome: CardTestOutcome;
  reader: string;
  /** hex, lowercase */
  atr: string;
  profile: CardProfileName;
  cardSerial: string | null;
  holder: { name: string | null; hsaId: string | null };
  certificates: CardCertificateReport[];
  pins: CardPinReport[];
  /** null when the outcome is 'removed': no partial verdict. */
  verdict: Verdict | null;
  findings: Finding[];
  apduCount: number;
}
