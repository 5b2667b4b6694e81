// What a card test means for the person at the desk: certificate status, findings in Swedish and one overall verdict.
import type {
  CardCertificateReport,
  CardPinReport,
  CardProfileName,
  CertificateRole,
  CertificateStatus,
  Finding,
  PinRole,
  Severity,
  Verdict,
} from '../card-report';
import { fillIn, sv as newFindingTexts } from '../i18n/card-findings';

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

const CERTIFICATE_NAME: Record<CertificateRole, string> = {
  auth: 'Legitimeringscertifikatet',
  sign: 'Underskriftscertifikatet',
  other: 'Certifikatet',
};
const PIN_PURPOSE: Record<Exclude<PinRole, 'puk'>, string> = { auth: 'legitimering', sign: 'underskrift' };

const finding = (code: Finding['code'], severity: Severity, message: string): Finding => ({ code, severity, message });

export const REMOVED_FINDING: Finding = finding(
  'card-removed',
  'error',
  'Kortet togs ut under testet — sätt i kortet igen och låt det sitta kvar tills testet är klart.',
);

function certificateFindings(facts: CardFacts): Finding[] {
  const findings: Finding[] = [];
  const roles = new Set(facts.certificates.map((cert) => cert.role));
  // unreadable data is already reported; calling its certificates missing would send the holder the wrong way
  if (!roles.has('auth') && !facts.dataCorrupt) {
    findings.push(finding('auth-certificate-missing', 'error', 'Kortet saknar legitimeringscertifikat — beställ nytt kort.'));
  }
  if (!roles.has('sign') && !facts.dataCorrupt) {
    findings.push(finding('sign-certificate-missing', 'error', 'Kortet saknar underskriftscertifikat — beställ nytt kort.'));
  }
  for (const cert of facts.certificates) {
    const name = CERTIFICATE_NAME[cert.role];
    const until = formatDate(cert.notAfter);
    switch (cert.status) {
      case 'untrusted':
        findings.push(
          finding('certificate-untrusted', 'error', `${name} är inte utfärdat av en betrodd SITHS-utfärdare — kortet kan inte användas här; kontakta RA-funktionen.`),
        );
        break;
      case 'revoked':
        findings.push(finding('certificate-revoked', 'error', `${name} är spärrat — beställ nytt kort.`));
        break;
      case 'expired':
        findings.push(finding('certificate-expired', 'error', `${name} gick ut ${until} — beställ nytt kort.`));
        break;
      case 'not-yet-valid':
        findings.push(
          finding('certificate-not-yet-valid', 'error', `${name} gäller först från ${formatDate(cert.notBefore)} — vänta till dess eller kontakta RA-funktionen.`),
        );
        break;
      case 'expiring':
        findings.push(
          finding('certificate-expiring', 'warning', `${name} går ut ${until} (${cert.daysLeft} dagar kvar) — beställ nytt kort i god tid.`),
        );
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
      findings.push(
        finding('card-old', 'warning', `Kortet är äldre än ${CARD_LIFETIME_YEARS} år (utfärdat ${formatDate(oldest.toISOString())}) — beställ nytt kort.`),
      );
    }
  }
  return findings;
}

function pinFindings(pins: readonly CardPinReport[]): Finding[] {
  const findings: Finding[] = [];
  const pukBlocked = pins.some((pin) => pin.role === 'puk' && pin.blocked);
  for (const pin of pins) {
    if (pin.role === 'puk') {
      if (pin.blocked) findings.push(finding('puk-blocked', 'error', 'Kortet är permanent låst — beställ nytt kort.'));
      else if (pin.triesLeft === 1)
        findings.push(finding('pin-last-try', 'warning', 'PUK har bara 1 försök kvar — ett fel till låser kortet för gott.'));
      else if (pin.triesLeft === null)
        findings.push(finding('pin-tries-unknown', 'info', 'Kortet visar inte hur många försök som finns kvar för PUK.'));
      continue;
    }
    const purpose = PIN_PURPOSE[pin.role];
    if (pin.blocked) {
      const next = pukBlocked ? 'PUK är också spärrad, beställ nytt kort' : 'lås upp med PUK';
      findings.push(finding('pin-blocked', 'error', `PIN är spärrad — ${next} (PIN för ${purpose}).`));
    } else if (pin.triesLeft === 1) {
      findings.push(
        finding('pin-last-try', 'warning', `PIN för ${purpose} har bara 1 försök kvar — ett fel till spärrar den; lås upp med PUK om PIN är glömd.`),
      );
    } else if (pin.triesLeft === null) {
      findings.push(finding('pin-tries-unknown', 'info', `Kortet visar inte hur många försök som finns kvar för PIN för ${purpose}.`));
    }
  }
  return findings;
}

function revocationFindings(facts: CardFacts): Finding[] {
  const findings = facts.crlProblems.map((problem) =>
    problem.kind === 'stale'
      ? finding('crl-stale', 'warning', `Spärrkontrollen är osäker: spärrlistan är inaktuell sedan ${formatDate(problem.nextUpdate)} (${problem.issuer}) — importera en ny spärrlista.`)
      : finding('crl-invalid', 'warning', `Spärrlistan från ${problem.issuer} har fel signatur och användes inte — importera spärrlistan på nytt.`),
  );
  for (const issuer of facts.issuersWithoutCrl) {
    findings.push(finding('revocation-unknown', 'info', `Ingen spärrlista finns för ${issuer} — spärrstatus kunde inte kontrolleras.`));
  }
  return findings;
}

function identification(atr: string, knownCard: string | null): Finding {
  const text = knownCard ? fillIn(newFindingTexts.cardIdentified, { atr, name: knownCard }) : fillIn(newFindingTexts.cardUnidentified, { atr });
  return finding('card-identified', 'info', text);
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function overallVerdict(findings: readonly Finding[]): Verdict {
  const worst = Math.max(0, ...findings.map((f) => SEVERITY_RANK[f.severity]));
  return worst === 2 ? 'error' : worst === 1 ? 'warning' : 'ok';
}

export function judgeCard(facts: CardFacts): { verdict: Verdict; findings: Finding[] } {
  const findings: Finding[] = [];
  if (facts.transmitFailed) {
    findings.push(finding('card-transmit-failed', 'error', 'Kortläsaren kunde inte prata med kortet — ta ut kortet, sätt i det igen och testa på nytt.'));
  }
  if (facts.notResponding) findings.push(finding('card-not-responding', 'error', newFindingTexts.cardNotResponding));
  const cannotTell = facts.transmitFailed || facts.notResponding === true;
  const noSithsApplication = facts.profile === 'unknown' || facts.sithsApplication === false;
  // a foreign card's own data is not ours to call damaged
  if (facts.dataCorrupt && !noSithsApplication) {
    findings.push(finding('card-data-corrupt', 'error', 'Kortets data är skadade — beställ nytt kort.'));
  }
  if (noSithsApplication) {
    if (!cannotTell) {
      findings.push(finding('unknown-card', 'error', 'Kortet är inget SITHS-kort — kontrollera att rätt kort sitter i läsaren.'));
      if (facts.atr) findings.push(identification(facts.atr, facts.knownCard ?? null));
    }
  } else if (!cannotTell) {
    findings.push(...certificateFindings(facts), ...pinFindings(facts.pins), ...revocationFindings(facts));
  }
  const verdict = overallVerdict(findings);
  if (verdict === 'ok') findings.push(finding('card-ok', 'info', 'Kortet fungerar — inga fel hittades.'));
  return { verdict, findings };
}
