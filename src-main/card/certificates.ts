// Certificates read from a card: what they say, whether they chain to the station's trusted roots and whether an imported CRL revokes them.
import { createHash, X509Certificate as NativeCertificate, type KeyObject } from 'node:crypto';
import { x509 } from './x509';
import type { CardCertificateReport, CertificateRole } from '@shared/card-report';
import { certificateStatus, type CrlProblem } from '@shared/domain/card-verdict';
import { CardError, toHex } from './apdu';

const OID_COMMON_NAME = '2.5.4.3';
const OID_SERIAL_NUMBER = '2.5.4.5';
const HSA_ID = /^[A-Z]{2}\d{10}-[0-9A-Za-z]+$/;
const MAX_CHAIN_LENGTH = 6;

/** Whether revocation of a certificate was checked against a CRL that is still current (before its nextUpdate). */
export type CrlFreshness = 'current' | 'stale' | 'missing';

export interface CertificateAnalysis {
  certificates: CardCertificateReport[];
  /** By certificate SHA-256 (hex): the state of the CRLs of its issuer. */
  crlFreshness: ReadonlyMap<string, CrlFreshness>;
  holder: { name: string | null; hsaId: string | null };
  crlProblems: CrlProblem[];
  issuersWithoutCrl: string[];
  /** A certificate on the card could not be parsed. */
  corrupt: boolean;
}

export interface TrustMaterial {
  trustedRoots: readonly Uint8Array[];
  crls: readonly Uint8Array[];
  now: Date;
}

export function parseCertificate(der: Uint8Array): x509.X509Certificate {
  try {
    const cert = new x509.X509Certificate(der);
    // touch the lazily decoded fields so a broken certificate fails here, not later
    void [cert.subject, cert.issuer, cert.notBefore, cert.notAfter, cert.serialNumber, cert.extensions];
    return cert;
  } catch (error) {
    throw new CardError('card-data-corrupt', 'Certificate could not be parsed', { cause: error });
  }
}

/** nonRepudiation marks the signature certificate, digitalSignature the authentication one. */
export function certificateRole(cert: x509.X509Certificate): CertificateRole {
  const usages = cert.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
  if (usages & x509.KeyUsageFlags.nonRepudiation) return 'sign';
  if (usages & x509.KeyUsageFlags.digitalSignature) return 'auth';
  return 'other';
}

const isCa = (cert: x509.X509Certificate): boolean => cert.getExtension(x509.BasicConstraintsExtension)?.ca === true;
const fingerprint = (cert: x509.X509Certificate): string =>
  createHash('sha256').update(new Uint8Array(cert.rawData)).digest('hex');
const firstField = (name: x509.Name, oid: string): string | null => name.getField(oid)[0] ?? null;

/** Issuers' keys for OpenSSL, kept with the parsed certificate: trusted roots are parsed once and checked against every card. */
const nativeKeys = new WeakMap<x509.X509Certificate, KeyObject>();

function nativeKey(issuer: x509.X509Certificate): KeyObject {
  let key = nativeKeys.get(issuer);
  if (!key) {
    key = new NativeCertificate(new Uint8Array(issuer.rawData)).publicKey;
    nativeKeys.set(issuer, key);
  }
  return key;
}

/** A certificate's signature is checked by OpenSSL (Node's X509Certificate): WebCrypto's key import per check made it the card test's slowest step. */
export async function signedBy(subject: x509.X509Certificate | x509.X509Crl, issuer: x509.X509Certificate): Promise<boolean> {
  try {
    return subject instanceof x509.X509Crl
      ? await subject.verify({ publicKey: issuer })
      : new NativeCertificate(new Uint8Array(subject.rawData)).verify(nativeKey(issuer));
  } catch {
    return false;
  }
}

async function findIssuer(cert: x509.X509Certificate, pool: readonly x509.X509Certificate[]): Promise<x509.X509Certificate | null> {
  for (const candidate of pool) {
    if (candidate.subject === cert.issuer && isCa(candidate) && (await signedBy(cert, candidate))) return candidate;
  }
  return null;
}

/** Walks issuer links until a trusted certificate; returns the direct issuer when the chain holds. */
async function trustedIssuer(
  cert: x509.X509Certificate,
  pool: readonly x509.X509Certificate[],
  trusted: ReadonlySet<string>,
): Promise<x509.X509Certificate | null> {
  const direct = await findIssuer(cert, pool);
  let current = direct;
  for (let depth = 0; current && depth < MAX_CHAIN_LENGTH; depth++) {
    if (trusted.has(fingerprint(current))) return direct;
    const next = await findIssuer(current, pool);
    current = next === current ? null : next;
  }
  return null;
}

interface VerifiedCrl {
  crl: x509.X509Crl;
  issuerFingerprint: string;
}

/** A CRL without nextUpdate can't say how long it holds: never current. */
const isCurrent = (crl: x509.X509Crl, now: Date): boolean =>
  crl.nextUpdate !== undefined && crl.nextUpdate.getTime() >= now.getTime() && crl.thisUpdate.getTime() <= now.getTime();

/** A CRL as parsed once, and which issuers' signatures on it were checked: both are the same for every card tested. */
interface KnownCrl {
  der: Uint8Array;
  crl: x509.X509Crl | null;
  signedBy: Map<string, boolean>;
}

/** The CRLs of the last test: one of tens of thousands of entries took each card test over 100 ms to parse and check again. */
let knownCrls: KnownCrl[] = [];

function knownCrl(der: Uint8Array): KnownCrl {
  const known = knownCrls.find((entry) => entry.der.length === der.length && Buffer.compare(entry.der, der) === 0);
  if (known) return known;
  let crl: x509.X509Crl | null;
  try {
    crl = new x509.X509Crl(der);
    void [crl.issuer, crl.thisUpdate, crl.nextUpdate];
  } catch {
    crl = null;
  }
  return { der, crl, signedBy: new Map() };
}

async function verifyCrls(
  crlDers: readonly Uint8Array[],
  pool: readonly x509.X509Certificate[],
  now: Date,
): Promise<{ verified: VerifiedCrl[]; problems: CrlProblem[] }> {
  const verified: VerifiedCrl[] = [];
  const problems: CrlProblem[] = [];
  const seen: KnownCrl[] = [];
  for (const der of crlDers) {
    const known = knownCrl(der);
    seen.push(known);
    const { crl } = known;
    if (!crl) {
      problems.push({ kind: 'invalid', issuer: 'okänd utfärdare' });
      continue;
    }
    const candidates = pool.filter((cert) => cert.subject === crl.issuer);
    let issuer: x509.X509Certificate | undefined;
    for (const candidate of candidates) {
      if (issuer) break;
      const key = fingerprint(candidate);
      let signed = known.signedBy.get(key);
      if (signed === undefined) {
        signed = await signedBy(crl, candidate);
        known.signedBy.set(key, signed);
      }
      if (signed) issuer = candidate;
    }
    if (!issuer) {
      if (candidates.length > 0) problems.push({ kind: 'invalid', issuer: crl.issuer });
      continue;
    }
    verified.push({ crl, issuerFingerprint: fingerprint(issuer) });
    if (crl.nextUpdate && crl.nextUpdate.getTime() < now.getTime()) {
      problems.push({ kind: 'stale', issuer: crl.issuer, nextUpdate: crl.nextUpdate.toISOString() });
    }
  }
  knownCrls = seen;
  return { verified, problems };
}

/** The trusted roots of the last test by their DER: the trust folders are read for every test, parsing them again is what costs. */
let parsedRoots = new Map<string, x509.X509Certificate | null>();

function parseTrustedRoots(ders: readonly Uint8Array[]): x509.X509Certificate[] {
  const parsed = new Map<string, x509.X509Certificate | null>();
  const roots: x509.X509Certificate[] = [];
  for (const der of ders) {
    const key = Buffer.from(der).toString('base64');
    let root = parsed.get(key) ?? parsedRoots.get(key);
    if (root === undefined) {
      try {
        root = parseCertificate(der);
      } catch {
        // a broken file in the station's trust store must not stop the card test; it simply trusts nothing
        root = null;
      }
    }
    parsed.set(key, root);
    if (root) roots.push(root);
  }
  parsedRoots = parsed;
  return roots;
}

export async function analyzeCertificates(ders: readonly Uint8Array[], trust: TrustMaterial): Promise<CertificateAnalysis> {
  const roots = parseTrustedRoots(trust.trustedRoots);
  const trusted = new Set(roots.map(fingerprint));
  let corrupt = false;
  const parsed: { cert: x509.X509Certificate; der: Uint8Array }[] = [];
  for (const der of ders) {
    try {
      parsed.push({ cert: parseCertificate(der), der });
    } catch {
      corrupt = true;
    }
  }
  const cardCas = parsed.filter(({ cert }) => isCa(cert)).map(({ cert }) => cert);
  const pool = [...roots, ...cardCas];
  const { verified, problems } = await verifyCrls(trust.crls, pool, trust.now);
  const issuersWithoutCrl = new Set<string>();
  const certificates: CardCertificateReport[] = [];
  const crlFreshness = new Map<string, CrlFreshness>();
  let holderCert: x509.X509Certificate | null = null;
  let hsaId: string | null = null;

  for (const { cert, der } of parsed.filter(({ cert }) => !isCa(cert))) {
    const issuer = await trustedIssuer(cert, pool, trusted);
    const crls = issuer ? verified.filter((entry) => entry.issuerFingerprint === fingerprint(issuer)) : [];
    if (issuer && crls.length === 0) issuersWithoutCrl.add(cert.issuer);
    const revoked = crls.some(({ crl }) => {
      const entry = crl.findRevoked(cert);
      return entry !== null && entry.revocationDate.getTime() <= trust.now.getTime();
    });
    const role = certificateRole(cert);
    const { status, daysLeft } = certificateStatus({
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      trusted: issuer !== null,
      revoked,
      now: trust.now,
    });
    const sha256 = toHex(new Uint8Array(createHash('sha256').update(der).digest()));
    crlFreshness.set(sha256, crls.length === 0 ? 'missing' : crls.some(({ crl }) => isCurrent(crl, trust.now)) ? 'current' : 'stale');
    certificates.push({
      role,
      subject: cert.subject,
      issuer: cert.issuer,
      serialNumber: cert.serialNumber.toLowerCase(),
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      sha256,
      status,
      daysLeft,
    });
    const serialField = firstField(cert.subjectName, OID_SERIAL_NUMBER);
    if (!hsaId && serialField && HSA_ID.test(serialField)) hsaId = serialField;
    if (!holderCert || (role === 'auth' && certificateRole(holderCert) !== 'auth')) holderCert = cert;
  }

  return {
    certificates,
    crlFreshness,
    holder: { name: holderCert ? firstField(holderCert.subjectName, OID_COMMON_NAME) : null, hsaId },
    crlProblems: problems,
    issuersWithoutCrl: [...issuersWithoutCrl],
    corrupt,
  };
}
