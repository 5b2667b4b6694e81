import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CARD_LIFETIME_YEARS, type CardFacts, certificateStatus, daysUntil, judgeCard } from '@shared/domain/card-verdict';
import { healthyCardFacts, pinReports, type CertFacts } from '../support/card-facts';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

const now = new Date('2025-06-15T10:00:00Z');
const day = 86_400_000;
const at = (days: number): Date => new Date(now.getTime() + days * day);

const cert = (role: CertFacts['role'], overrides: Partial<CertFacts> = {}): CertFacts => ({
  role,
  status: 'valid',
  notBefore: at(-365).toISOString(),
  notAfter: at(700).toISOString(),
  daysLeft: 700,
  ...overrides,
});

const facts = (overrides: Partial<CardFacts> = {}): CardFacts => healthyCardFacts(now, [cert('auth'), cert('sign')], overrides);
const codes = (input: CardFacts): string[] => judgeCard(input).findings.map((f) => f.code);

describe('certificateStatus', () => {
  const base = { notBefore: at(-10), trusted: true, revoked: false, now };
  it('expiring within 90 days, valid beyond', () => {
    expect(certificateStatus({ ...base, notAfter: at(90) }).status).toBe('expiring');
    expect(certificateStatus({ ...base, notAfter: at(91) }).status).toBe('valid');
  });
  it('expired, not yet valid, revoked and untrusted', () => {
    expect(certificateStatus({ ...base, notAfter: at(-1) })).toEqual({ status: 'expired', daysLeft: -1 });
    expect(certificateStatus({ ...base, notBefore: at(2), notAfter: at(400) }).status).toBe('not-yet-valid');
    expect(certificateStatus({ ...base, notAfter: at(-1), revoked: true }).status).toBe('revoked');
    expect(certificateStatus({ ...base, notAfter: at(400), revoked: true, trusted: false }).status).toBe('untrusted');
  });
  it('counts whole days left', () => {
    expect(daysUntil(now, new Date(at(40).getTime() + 3_600_000))).toBe(40);
  });
});

describe('judgeCard', () => {
  it('a healthy card is ok with one reassuring finding', () => {
    const result = judgeCard(facts());
    expect(result.verdict).toBe('ok');
    expect(result.findings).toMatchObject([{ code: 'card-ok', severity: 'info', message: 'Kortet fungerar — inga fel hittades.' }]);
  });

  it('a missing signature certificate sends the holder for new certificates, not a new card (seed 004)', () => {
    const result = judgeCard(facts({ certificates: [cert('auth')] }));
    expect(result.verdict).toBe('error');
    expect(result.findings[0]?.message).toContain('Kortet saknar underskriftscertifikat');
    expect(result.findings[0]?.message).toContain('Hämta nya certifikat');
    expect(result.findings[0]?.message).not.toContain('beställ nytt kort');
  });

  it('an expiring certificate gives the date and the days left', () => {
    const result = judgeCard(facts({ certificates: [cert('auth', { status: 'expiring', notAfter: '2025-07-25T12:00:00Z', daysLeft: 40 }), cert('sign')] }));
    expect(result.verdict).toBe('warning');
    expect(result.findings[0]).toMatchObject({ code: 'certificate-expiring', severity: 'warning' });
    expect(result.findings[0]?.message).toContain('2025-07-25');
    expect(result.findings[0]?.message).toContain('40 dagar kvar');
  });

  it('a blocked PIN is unblocked with the PUK; a blocked PUK means a new card', () => {
    const pinBlocked = judgeCard(facts({ pins: pinReports({ auth: { triesLeft: 0, blocked: true } }) }));
    // seed 004: a PIN is låst and låses upp with the PUK-kod; never "spärrad"
    expect(pinBlocked.findings[0]?.message).toBe('PIN för legitimering är låst — lås upp den med PUK-koden.');
    const pukBlocked = judgeCard(facts({ pins: pinReports({ puk: { triesLeft: 0, blocked: true } }) }));
    expect(pukBlocked.findings[0]?.message).toContain('beställ nytt kort');
    const both = judgeCard(facts({ pins: pinReports({ auth: { triesLeft: 0, blocked: true }, puk: { triesLeft: 0, blocked: true } }) }));
    expect(both.findings.map((f) => f.message).join(' ')).not.toContain('lås upp den med');
  });

  it('warns on the last PIN try and on cards older than five years', () => {
    expect(codes(facts({ pins: pinReports({ sign: { triesLeft: 1 } }) }))).toEqual(['pin-last-try']);
    const old = facts({ certificates: [cert('auth', { notBefore: '2020-06-01T00:00:00Z' }), cert('sign')] });
    expect(codes(old)).toEqual(['card-old']);
    expect(judgeCard(old).verdict).toBe('warning');
  });

  it('warns that one more wrong PUK locks the card for good when the PUK has a single try left', () => {
    const result = judgeCard(facts({ pins: pinReports({ puk: { triesLeft: 1 } }) }));
    expect(result.findings).toMatchObject([{ code: 'pin-last-try', severity: 'warning', message: expect.stringMatching(/^PUK-koden .*1 försök kvar.*för gott/) }]);
    expect(result.verdict).toBe('warning');
    expect(codes(facts({ pins: pinReports({ puk: { triesLeft: 2 } }) }))).toEqual(['card-ok']);
  });

  it('says so when the card does not tell the tries left, for a PIN and for the PUK, without calling the card faulty', () => {
    const pinUnknown = judgeCard(facts({ pins: pinReports({ sign: { triesLeft: null } }) }));
    expect(pinUnknown.findings).toMatchObject([{ code: 'pin-tries-unknown', severity: 'info', message: expect.stringContaining('PIN för underskrift') }, { code: 'card-ok' }]);
    expect(pinUnknown.verdict).toBe('ok');
    const pukUnknown = judgeCard(facts({ pins: pinReports({ puk: { triesLeft: null } }) }));
    expect(pukUnknown.findings).toMatchObject([{ code: 'pin-tries-unknown', severity: 'info', message: expect.stringContaining('PUK-koden') }, { code: 'card-ok' }]);
    expect(pukUnknown.verdict).toBe('ok');
  });

  it('reports stale and forged CRLs and missing revocation data', () => {
    const result = judgeCard(
      facts({
        crlProblems: [
          { kind: 'stale', issuer: 'CN=CA', nextUpdate: '2025-06-01T00:00:00Z' },
          { kind: 'invalid', issuer: 'CN=CA' },
        ],
        issuersWithoutCrl: ['CN=Other CA'],
      }),
    );
    expect(result.findings.map((f) => f.code)).toEqual(['crl-stale', 'crl-invalid', 'revocation-unknown']);
    expect(result.findings[0]?.message).toContain('spärrlistan är inaktuell');
    expect(result.verdict).toBe('warning');
  });

  it('corrupt data is an error and does not also claim certificates are missing', () => {
    const result = judgeCard(facts({ certificates: [], dataCorrupt: true }));
    expect(result.findings.map((f) => f.code)).toEqual(['card-data-corrupt']);
    expect(result.findings[0]?.message).toContain('Kortets data är skadade');
  });

  it('an unknown card is not judged on certificates or PINs', () => {
    expect(codes(facts({ profile: 'unknown', certificates: [], pins: [] }))).toEqual(['unknown-card']);
  });

  it('every certificate problem is an error except an approaching expiry', () => {
    for (const status of ['expired', 'not-yet-valid', 'revoked', 'untrusted'] as const) {
      expect(judgeCard(facts({ certificates: [cert('auth', { status }), cert('sign')] })).verdict).toBe('error');
    }
  });
});

describe('cards that are not SITHS cards (issue 15)', () => {
  it('unparseable data on an application without SITHS is no SITHS card, never "damaged — order a new card"', () => {
    const result = judgeCard(facts({ sithsApplication: false, dataCorrupt: true, certificates: [], atr: '3b8a80018031b8738401e082900006', knownCard: 'tyskt nationellt ID-kort (nPA)' }));
    expect(result.findings.map((f) => f.code)).toEqual(['unknown-card', 'card-identified']);
    expect(result.findings[1]?.message).toBe('Kortets ATR är 3b8a80018031b8738401e082900006 — kortet ser ut att vara tyskt nationellt ID-kort (nPA), inte ett SITHS-kort.');
    expect(result.findings.some((f) => f.message.includes('beställ nytt kort'))).toBe(false);
  });

  it('an ATR the table does not know is shown as unknown', () => {
    const result = judgeCard(facts({ profile: 'unknown', certificates: [], pins: [], atr: '3b6800', knownCard: null }));
    expect(result.findings[1]?.message).toBe('Kortets ATR är 3b6800 — korttypen är okänd för kortstationen.');
  });

  it('a card that stops answering is "kortet svarar inte" and nothing else', () => {
    expect(codes(facts({ profile: 'unknown', certificates: [], pins: [], notResponding: true, atr: '3b' }))).toEqual(['card-not-responding']);
  });
});

/** Any facts a card test can gather, healthy or not, SITHS or not. */
const anyFacts: fc.Arbitrary<CardFacts> = fc.record({
  profile: fc.constantFrom('pkcs15', 'piv', 'unknown'),
  sithsApplication: fc.option(fc.boolean(), { nil: undefined }),
  certificates: fc.array(
    fc.record({
      role: fc.constantFrom('auth', 'sign'),
      status: fc.constantFrom('valid', 'expiring', 'expired', 'not-yet-valid', 'revoked', 'untrusted'),
      notBefore: fc.integer({ min: -8 * 365, max: 365 }).map((days) => at(days).toISOString()),
      notAfter: fc.integer({ min: -365, max: 8 * 365 }).map((days) => at(days).toISOString()),
      daysLeft: fc.integer({ min: -365, max: 8 * 365 }),
    }),
    { maxLength: 3 },
  ),
  pins: fc.subarray(['auth', 'sign', 'puk'] as const).chain((roles) =>
    fc.tuple(...roles.map((role) => fc.record({ role: fc.constant(role), triesLeft: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }), blocked: fc.boolean() }))),
  ),
  crlProblems: fc.constantFrom([], [{ kind: 'stale' as const, issuer: 'CA', nextUpdate: at(-2).toISOString() }], [{ kind: 'invalid' as const, issuer: 'CA' }]),
  issuersWithoutCrl: fc.constantFrom([], ['CA']),
  dataCorrupt: fc.boolean(),
  transmitFailed: fc.boolean(),
  notResponding: fc.boolean(),
  atr: fc.constant('3b8a80018031b8738401e082900006'),
  knownCard: fc.constantFrom(null, 'tyskt nationellt ID-kort (nPA)'),
  now: fc.constant(now),
});

describe('a new card only when the card proves it (issue 15)', () => {
  it('"beställ nytt kort" only on a SITHS application whose data is damaged, whose PUK is blocked, or that is older than five years', () => {
    fc.assert(
      fc.property(anyFacts, (input) => {
        const sithsApplication = input.profile !== 'unknown' && input.sithsApplication !== false;
        const cardCanTell = !input.transmitFailed && !input.notResponding;
        const fiveYearsAgo = new Date(now);
        fiveYearsAgo.setUTCFullYear(fiveYearsAgo.getUTCFullYear() - CARD_LIFETIME_YEARS);
        const old = input.certificates.some((c) => new Date(c.notBefore).getTime() <= fiveYearsAgo.getTime());
        const pukBlocked = input.pins.some((pin) => pin.role === 'puk' && pin.blocked);
        const proven = sithsApplication && (input.dataCorrupt || (cardCanTell && (pukBlocked || old)));
        const sendsForNewCard = judgeCard(input).findings.some((f) => f.message.includes('beställ nytt kort'));
        expect(sendsForNewCard).toBe(proven);
      }),
      { numRuns: 500, interruptAfterTimeLimit: PROPERTY_BUDGET_MS / 2 },
    );
  }, PROPERTY_BUDGET_MS);
});
