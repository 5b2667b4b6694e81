// Issue 18 / seed 004: "beställ nytt kort" only where the card itself proves it; certificate trouble sends the holder for new certificates.
import { describe, expect, it } from 'vitest';
import type { CertificateStatus } from '@shared/card-report';
import { type CardFacts, judgeCard } from '@shared/domain/card-verdict';
import { en, sv, wordFinding } from '@shared/i18n/findings';
import { healthyCardFacts, pinReports, type CertFacts } from '../support/card-facts';

const now = new Date('2026-06-15T10:00:00Z');
const day = 86_400_000;
const iso = (days: number): string => new Date(now.getTime() + days * day).toISOString();
const cert = (role: CertFacts['role'], status: CertificateStatus = 'valid', issuedDaysAgo = 365): CertFacts => ({
  role,
  status,
  notBefore: iso(-issuedDaysAgo),
  notAfter: status === 'expired' ? iso(-3) : status === 'expiring' ? iso(30) : iso(700),
  daysLeft: status === 'expired' ? -3 : status === 'expiring' ? 30 : 700,
});
const facts = (overrides: Partial<CardFacts> = {}): CardFacts => healthyCardFacts(now, [cert('auth'), cert('sign')], overrides);

const NEW_CARD = /beställ nytt kort/i;
const NEW_CARD_EN = /order a new card/i;

/** Cards whose faults are not the card's own: none of their findings may send the holder for a new card. */
const notTheCard: Record<string, CardFacts> = {
  'auth certificate missing': facts({ certificates: [cert('sign')] }),
  'sign certificate missing': facts({ certificates: [cert('auth')] }),
  'no certificates at all': facts({ certificates: [] }),
  'certificate expired': facts({ certificates: [cert('auth', 'expired'), cert('sign', 'expired')] }),
  'certificate expiring': facts({ certificates: [cert('auth', 'expiring'), cert('sign')] }),
  'certificate revoked': facts({ certificates: [cert('auth', 'revoked'), cert('sign')] }),
  'certificate not yet valid': facts({ certificates: [cert('auth', 'not-yet-valid'), cert('sign')] }),
  'certificate untrusted': facts({ certificates: [cert('auth', 'untrusted'), cert('sign')] }),
  'PIN locked, PUK-kod left': facts({ pins: pinReports({ auth: { triesLeft: 0, blocked: true } }) }),
  'last PIN try': facts({ pins: pinReports({ sign: { triesLeft: 1 } }) }),
  'last PUK try': facts({ pins: pinReports({ puk: { triesLeft: 1 } }) }),
  'tries unknown': facts({ pins: pinReports({ puk: { triesLeft: null } }) }),
  'reader could not talk to the card': facts({ transmitFailed: true }),
  'not a SITHS card': facts({ profile: 'unknown', certificates: [], pins: [] }),
  'stale revocation list': facts({ crlProblems: [{ kind: 'stale', issuer: 'CN=CA', nextUpdate: iso(-5) }] }),
};

/** Cards that prove a card-level fault: PUK-kod used up, older than the card's five years, unreadable SITHS application. */
const theCard: Record<string, CardFacts> = {
  'PUK-kod locked': facts({ pins: pinReports({ puk: { triesLeft: 0, blocked: true } }) }),
  'PIN and PUK-kod locked': facts({ pins: pinReports({ auth: { triesLeft: 0, blocked: true }, puk: { triesLeft: 0, blocked: true } }) }),
  'older than five years': facts({ certificates: [cert('auth', 'valid', 5 * 366), cert('sign')] }),
  'SITHS application unreadable': facts({ certificates: [], dataCorrupt: true }),
};

const wordedIn = (catalogue: typeof sv, input: CardFacts): string[] =>
  judgeCard(input).findings.map((finding) => (finding.text ? wordFinding(catalogue, finding.text.key, finding.text.params) : finding.message));

describe('next steps at the counter', () => {
  it.each(Object.entries(notTheCard))('%s: no finding says to order a new card, in either language', (_name, input) => {
    expect(judgeCard(input).findings.map((finding) => finding.message).join('\n')).not.toMatch(NEW_CARD);
    expect(wordedIn(en, input).join('\n')).not.toMatch(NEW_CARD_EN);
  });

  it.each(Object.entries(theCard))('%s: the card proves it, so a new card is ordered', (_name, input) => {
    expect(judgeCard(input).findings.map((finding) => finding.message).join('\n')).toMatch(NEW_CARD);
    expect(wordedIn(en, input).join('\n')).toMatch(NEW_CARD_EN);
  });

  it('missing, expired and expiring certificates say "Hämta nya certifikat" (seed 004)', () => {
    for (const input of [notTheCard['auth certificate missing'], notTheCard['certificate expired'], notTheCard['certificate expiring']]) {
      expect(judgeCard(input!).findings.map((finding) => finding.message).join('\n')).toContain('Hämta nya certifikat');
    }
  });

  it('the Swedish message the CLI prints is the Swedish catalogue worded with the same key', () => {
    for (const input of [...Object.values(notTheCard), ...Object.values(theCard)]) {
      expect(wordedIn(sv, input)).toEqual(judgeCard(input).findings.map((finding) => finding.message));
    }
  });
});
