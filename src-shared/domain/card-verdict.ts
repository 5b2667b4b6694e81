// What a card test means for the person at the desk: certificate status, findings in Swedish and one overall verdict.
import type {
  CardCertificateReport,
  CardPinReport,
  CardProfileName,
  CertificateStatus,
  Finding,
  Severity,
  Verdict,
} from '../card-report';
import { type FindingKey, type FindingParams, sv as svFindings, wordFinding } from '../i18n/findings';

export const EXPIRING_WITHIN_DAYS = 90;
export const CARD_LIFETIME_YEARS = 5;
const DAY_MS = 86_400_000;

/** Whole days from `now` to `then`, rounded down; negative when `then` is past. */
export function daysUntil(now: Date, then: Date): number {
  return Math.floor((then.getTime() - now.getTime()) / DAY_MS);
}

export interface CertificateFacts {
  notBefore: Date;
  notAfter: Date;
  trusted: boolean;
  revoked: boolean;
  now: Date;
}

/** Most serious first: an untrusted certificate's other facts can't be relied on. */
export function certificateStatus(facts: CertificateFacts): { status: CertificateStatus; daysLeft: number } {
  const daysLeft = daysUntil(facts.now, facts.notAfter);
  const status: CertificateStatus = !facts.trusted
    ? 'untrusted'
    : facts.revoked
      ? 'revoked'
      : facts.now.getTime() > facts.notAfter.getTime()
        ? 'expired'
        : facts.now.getTime() < facts.notBefore.getTime()
          ? 'not-yet-valid'
          : facts.notAfter.getTime() - facts.now.getTime() <= EXPIRING_WITHIN_DAYS * DAY_MS
            ? 'expiring'
            : 'valid';
  return { status, daysLeft };
}

export type CrlProblem = { kind: 'stale'; issuer: string; nextUpdate: string } | { kind: 'invalid'; issuer: string };

export interface CardFacts {
  profile: CardProfileName;
  certificates: readonly Pick<CardCertificateReport, 'role' | 'status' | 'notBefore' | 'notAfter' | 'daysLeft'>[];
  pins: readonly CardPinReport[];
  crlProblems: readonly CrlProblem[];
  /** Issuers of trusted certificates for which no CRL was imported. */
  issuersWithoutCrl: readonly string[];
  dataCorrupt: boolean;
  transmitFailed: boolean;
  now: Date;
  /** false: the application found holds nothing of SITHS (a foreign eID, a PIV token of another issuer); judged as no SITHS card. */
  sithsApplication?: boolean;
  /** The card's ATR (hex) and, when the ATR table knows it, what the card is (Swedish name). */
  atr?: string;
  knownCard?: string | null;
  /** The card stopped answering mid-test. */
  notResponding?: boolean;
}

const swedishDate = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
export const formatDate = (iso: string): string => swedishDate.format(new Date(iso));

const finding = (code: Finding['code'], severity: Severity, message: string): Finding => ({ code, severity, message });
/** A finding worded from the findings catalogue: Swedish message here, the same key and params for the renderer's language. */
const worded = (code: Finding['code'], severity: Severity, key: FindingKey, params: FindingParams = {}): Finding => ({
  ...finding(code, severity, wordFinding(svFindings, key, params)),
  text: { key, params },
});

export const REMOVED_FINDING: Finding = worded('card-removed', 'error', 'removed');
/** The card signed a challenge, but not with its certificate's key: only a new card helps. */
export const KEY_MISMATCH_FINDING: Finding = worded('card-key-mismatch', 'error', 'keyMismatch');

function certificateFindings(facts: CardFacts): Finding[] {
  const findings: Finding[] = [];
  const roles = new Set(facts.certificates.map((cert) => cert.role));
  // unreadable data is already reported; calling its certificates missing would send the holder the wrong way
  if (!roles.has('auth') && !facts.dataCorrupt) {
    findings.push(worded('auth-certificate-missing', 'error', 'authMissing'));
  }
  if (!roles.has('sign') && !facts.dataCorrupt) {
    findings.push(worded('sign-certificate-missing', 'error', 'signMissing'));
  }
  for (const cert of facts.certificates) {
    const certificate = cert.role;
    const date = formatDate(cert.notAfter);
    switch (cert.status) {
      case 'untrusted':
        findings.push(worded('certificate-untrusted', 'error', 'untrusted', { certificate }));
        break;
      case 'revoked':
        findings.push(worded('certificate-revoked', 'error', 'revoked', { certificate }));
        break;
      case 'expired':
        findings.push(worded('certificate-expired', 'error', 'expired', { certificate, date }));
        break;
      case 'not-yet-valid':
        findings.push(worded('certificate-not-yet-valid', 'error', 'notYetValid', { certificate, date: formatDate(cert.notBefore) }));
        break;
      case 'expiring':
        findings.push(worded('certificate-expiring', 'warning', 'expiring', { certificate, date, days: cert.daysLeft }));
        break;
      case 'valid':
        break;
    }
  }
  const oldest = facts.certificates.map((cert) => new Date(cert.notBefore)).sort((a, b) => a.getTime() - b.getTime())[0];
  if (oldest) {
    const endOfLife = new Date(oldest);
    endOfLife.setUTCFullYear(endOfLife.getUTCFullYear() + CARD_LIFETIME_YEARS);
    if (facts.now.getTime() >= endOfLife.getTime()) {
      findings.push(worded('card-old', 'warning', 'cardOld', { years: CARD_LIFETIME_YEARS, date: formatDate(oldest.toISOString()) }));
    }
  }
  return findings;
}

function pinFindings(pins: readonly CardPinReport[]): Finding[] {
  const findings: Finding[] = [];
  const pukBlocked = pins.some((pin) => pin.role === 'puk' && pin.blocked);
  for (const pin of pins) {
    if (pin.role === 'puk') {
      if (pin.blocked) findings.push(worded('puk-blocked', 'error', 'pukBlocked'));
      else if (pin.triesLeft === 1)
        findings.push(worded('pin-last-try', 'warning', 'pukLastTry'));
      else if (pin.triesLeft === null)
        findings.push(worded('pin-tries-unknown', 'info', 'triesUnknown', { pin: 'puk' }));
      continue;
    }
    if (pin.blocked) {
      findings.push(worded('pin-blocked', 'error', pukBlocked ? 'pinBlockedPukBlocked' : 'pinBlocked', { pin: pin.role }));
    } else if (pin.triesLeft === 1) {
      findings.push(worded('pin-last-try', 'warning', 'pinLastTry', { pin: pin.role }));
    } else if (pin.triesLeft === null) {
      findings.push(worded('pin-tries-unknown', 'info', 'triesUnknown', { pin: pin.role }));
    }
  }
  return findings;
}

function revocationFindings(facts: CardFacts): Finding[] {
  const findings = facts.crlProblems.map((problem) =>
    problem.kind === 'stale'
      ? worded('crl-stale', 'warning', 'crlStale', { date: formatDate(problem.nextUpdate), issuer: problem.issuer })
      : worded('crl-invalid', 'warning', 'crlInvalid', { issuer: problem.issuer }),
  );
  for (const issuer of facts.issuersWithoutCrl) {
    findings.push(worded('revocation-unknown', 'info', 'revocationUnknown', { issuer }));
  }
  return findings;
}

function identification(atr: string, knownCard: string | null): Finding {
  return knownCard ? worded('card-identified', 'info', 'cardIdentified', { atr, name: knownCard }) : worded('card-identified', 'info', 'cardUnidentified', { atr });
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function overallVerdict(findings: readonly Finding[]): Verdict {
  const worst = Math.max(0, ...findings.map((f) => SEVERITY_RANK[f.severity]));
  return worst === 2 ? 'error' : worst === 1 ? 'warning' : 'ok';
}

export function judgeCard(facts: CardFacts): { verdict: Verdict; findings: Finding[] } {
  const findings: Finding[] = [];
  if (facts.transmitFailed) {
    findings.push(worded('card-transmit-failed', 'error', 'transmitFailed'));
  }
  if (facts.notResponding) findings.push(worded('card-not-responding', 'error', 'cardNotResponding'));
  const cannotTell = facts.transmitFailed || facts.notResponding === true;
  const noSithsApplication = facts.profile === 'unknown' || facts.sithsApplication === false;
  // a foreign card's own data is not ours to call damaged
  if (facts.dataCorrupt && !noSithsApplication) {
    findings.push(worded('card-data-corrupt', 'error', 'dataCorrupt'));
  }
  if (noSithsApplication) {
    if (!cannotTell) {
      findings.push(worded('unknown-card', 'error', 'unknownCard'));
      if (facts.atr) findings.push(identification(facts.atr, facts.knownCard ?? null));
    }
  } else if (!cannotTell) {
    findings.push(...certificateFindings(facts), ...pinFindings(facts.pins), ...revocationFindings(facts));
  }
  const verdict = overallVerdict(findings);
  if (verdict === 'ok') findings.push(worded('card-ok', 'info', 'cardOk'));
  return { verdict, findings };
}
