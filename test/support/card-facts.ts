// What judgeCard is given for a healthy card, for unit tests to change one fact at a time.
import type { CardCertificateReport, CardPinReport } from '@shared/card-report';
import type { CardFacts } from '@shared/domain/card-verdict';

export type CertFacts = Pick<CardCertificateReport, 'role' | 'status' | 'notBefore' | 'notAfter' | 'daysLeft'>;

export const pinReports = (overrides: Partial<Record<CardPinReport['role'], Partial<CardPinReport>>> = {}): CardPinReport[] =>
  (['auth', 'sign', 'puk'] as const).map((role) => ({ role, triesLeft: role === 'puk' ? 10 : 3, blocked: false, ...overrides[role] }));

/** A PKCS#15 card with the two certificates given, full tries, every CRL current; `overrides` change the rest. */
export const healthyCardFacts = (now: Date, certificates: CertFacts[], overrides: Partial<CardFacts> = {}): CardFacts => ({
  profile: 'pkcs15',
  certificates,
  pins: pinReports(),
  crlProblems: [],
  issuersWithoutCrl: [],
  dataCorrupt: false,
  transmitFailed: false,
  now,
  ...overrides,
});
