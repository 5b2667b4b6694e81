import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCertificates, certificateRole, parseCertificate } from '../../src-main/card/certificates';
import { CardError } from '../../src-main/card/apdu';
import { ISSUING_CA_NAME, type TestPki, testPki } from '../sim/pki';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

const now = new Date();
const day = 86_400_000;
const at = (days: number): Date => new Date(now.getTime() + days * day);
const holder = { name: 'Bertil Provsson', hsaId: 'SE2321000016-9x9x' };
let pki: TestPki;
let auth: Uint8Array;
let sign: Uint8Array;
let freshCrl: (serials: string[]) => Promise<Uint8Array>;

beforeAll(async () => {
  pki = await testPki();
  auth = await pki.issue({ holder, usage: 'auth', notBefore: at(-30), notAfter: at(500), serialNumber: '7e01' });
  sign = await pki.issue({ holder, usage: 'sign', notBefore: at(-30), notAfter: at(500), serialNumber: '7e02' });
  freshCrl = (serials) => pki.crl({ thisUpdate: at(-1), nextUpdate: at(6), revokedSerials: serials });
});

const trust = (extra: Partial<{ trustedRoots: Uint8Array[]; crls: Uint8Array[] }> = {}) => ({
  trustedRoots: [pki.rootDer, pki.issuingCaDer],
  crls: [],
  now,
  ...extra,
});

describe('certificate facts', () => {
  it('says per certificate whether its issuer has a CRL that is still current: none, stale or current', async () => {
    const sha = createHash('sha256').update(auth).digest('hex');
    const stale = await pki.crl({ thisUpdate: at(-10), nextUpdate: at(-1), revokedSerials: [] });
    const freshness = async (crls: Uint8Array[]) => (await analyzeCertificates([auth], trust({ crls }))).crlFreshness.get(sha);
    expect(await freshness([])).toBe('missing');
    expect(await freshness([stale])).toBe('stale');
    expect(await freshness([await freshCrl([])])).toBe('current');
    // a stale list is still reported, never used quietly
    expect((await analyzeCertificates([auth], trust({ crls: [stale] }))).crlProblems).toEqual([expect.objectContaining({ kind: 'stale' })]);
  });

  it('tells auth from sign by key usage and reads holder, HSA-ID, serial and fingerprint', async () => {
    expect(certificateRole(parseCertificate(auth))).toBe('auth');
    expect(certificateRole(parseCertificate(sign))).toBe('sign');
    expect(certificateRole(parseCertificate(pki.rootDer))).toBe('other');
    const result = await analyzeCertificates([auth, sign], trust({ crls: [await freshCrl([])] }));
    expect(result.holder).toEqual(holder);
    expect(result.certificates.map((c) => [c.role, c.status, c.serialNumber])).toEqual([
      ['auth', 'valid', '7e01'],
      ['sign', 'valid', '7e02'],
    ]);
    expect(result.certificates[0]?.sha256).toBe(createHash('sha256').update(auth).digest('hex'));
    expect(result.certificates[0]?.issuer).toContain(ISSUING_CA_NAME.split(',')[0]);
    expect(result.issuersWithoutCrl).toEqual([]);
  });

  it('does not take a personnummer for an HSA-ID', async () => {
    const personal = await pki.issue({ holder: { name: 'Bertil Provsson', hsaId: '197001011234' }, usage: 'auth', notBefore: at(-1), notAfter: at(100) });
    expect((await analyzeCertificates([personal], trust())).holder).toEqual({ name: 'Bertil Provsson', hsaId: null });
  });
});

describe('chain and revocation', () => {
  it('needs a chain to a trusted certificate', async () => {
    const rootOnly = await analyzeCertificates([auth], trust({ trustedRoots: [pki.rootDer] }));
    expect(rootOnly.certificates[0]?.status).toBe('untrusted');
    const nothingTrusted = await analyzeCertificates([auth], trust({ trustedRoots: [] }));
    expect(nothingTrusted.certificates[0]?.status).toBe('untrusted');
    const rogue = await pki.issueUntrusted({ holder, usage: 'auth', notBefore: at(-1), notAfter: at(100) });
    expect((await analyzeCertificates([rogue], trust())).certificates[0]?.status).toBe('untrusted');
  });

  it('finds the issuing CA on the card when only the root is trusted', async () => {
    const result = await analyzeCertificates([auth, pki.issuingCaDer], trust({ trustedRoots: [pki.rootDer] }));
    expect(result.certificates.map((c) => c.status)).toEqual(['valid']);
  });

  it('marks a certificate on a verified CRL as revoked', async () => {
    const result = await analyzeCertificates([auth, sign], trust({ crls: [await freshCrl(['7e01'])] }));
    expect(result.certificates.map((c) => c.status)).toEqual(['revoked', 'valid']);
    expect(result.crlProblems).toEqual([]);
  });

  it('still uses a stale CRL but says so', async () => {
    const stale = await pki.crl({ thisUpdate: at(-20), nextUpdate: at(-2), revokedSerials: ['7e01'] });
    const result = await analyzeCertificates([auth], trust({ crls: [stale] }));
    expect(result.certificates[0]?.status).toBe('revoked');
    expect(result.crlProblems).toMatchObject([{ kind: 'stale' }]);
  });

  it('ignores a CRL whose signature does not verify', async () => {
    const forged = await pki.forgedCrl({ thisUpdate: at(-1), nextUpdate: at(6), revokedSerials: ['7e01'] });
    const result = await analyzeCertificates([auth], trust({ crls: [forged, Uint8Array.of(1, 2, 3)] }));
    expect(result.certificates[0]?.status).toBe('valid');
    expect(result.crlProblems.map((p) => p.kind)).toEqual(['invalid', 'invalid']);
    expect(result.issuersWithoutCrl).toHaveLength(1);
  });
});

describe('trust material that changes between card tests', () => {
  // the station parses roots and CRLs once and reuses them; a changed trust folder or CRL must count at the next test
  it('uses the CRLs and roots of each test, not those of the one before', async () => {
    const revoking = await freshCrl(['7e01']);
    const statuses = async (extra: Parameters<typeof trust>[0]) => (await analyzeCertificates([auth], trust(extra))).certificates.map((c) => c.status);
    expect(await statuses({ crls: [revoking] })).toEqual(['revoked']);
    expect(await statuses({ crls: [Uint8Array.from(revoking)] })).toEqual(['revoked']);
    expect(await statuses({ crls: [await freshCrl([])] })).toEqual(['valid']);
    const forged = await pki.forgedCrl({ thisUpdate: at(-1), nextUpdate: at(6), revokedSerials: ['7e01'] });
    expect(await statuses({ crls: [forged] })).toEqual(['valid']);
    expect(await statuses({ crls: [revoking] })).toEqual(['revoked']);
    expect(await statuses({ trustedRoots: [] })).toEqual(['untrusted']);
    expect(await statuses({})).toEqual(['valid']);
  });
});

describe('broken certificates', () => {
  it('a truncated certificate is corrupt card data, the others still count', async () => {
    const result = await analyzeCertificates([auth.subarray(0, 100), sign], trust());
    expect(result.corrupt).toBe(true);
    expect(result.certificates.map((c) => c.role)).toEqual(['sign']);
    expect(() => parseCertificate(auth.subarray(0, 100))).toThrow(CardError);
  });

  it('never crashes on mangled certificates', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(auth.length), fc.nat(auth.length - 1), fc.integer({ min: 0, max: 255 }), async (cut, position, byte) => {
        const mangled = Uint8Array.from(auth.subarray(0, Math.max(cut, 1)));
        if (position < mangled.length) mangled[position] = byte;
        const result = await analyzeCertificates([mangled], trust());
        expect(result.corrupt || result.certificates.length === 1).toBe(true);
      }),
      { numRuns: 300 },
    );
  }, PROPERTY_BUDGET_MS);
});
