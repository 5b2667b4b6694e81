// A throw-away SITHS-like PKI made at test time: root, issuing CA, person certificates and CRLs (ECDSA P-256 keeps it fast).
import { type KeyObject, webcrypto } from 'node:crypto';
import { x509 } from '../../src-main/card/x509';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
export const ROOT_NAME = 'CN=SITHS e-id Root CA v2, O=Inera AB, C=SE';
export const ISSUING_CA_NAME = 'CN=SITHS e-id Person HSA-id 3 CA v1, O=Inera AB, C=SE';

export interface Holder {
  name: string;
  hsaId: string;
}

export interface PersonCertificateSpec {
  holder: Holder;
  usage: 'auth' | 'sign';
  notBefore: Date;
  notAfter: Date;
  /** hex; random when absent */
  serialNumber?: string;
  /** The key pair the card holds; absent: a PKI-wide key nothing signs with. */
  publicKey?: KeyObject;
}

export interface CrlSpec {
  thisUpdate: Date;
  nextUpdate: Date;
  revokedSerials: readonly string[];
}

interface Authority {
  keys: webcrypto.CryptoKeyPair;
  certificate: x509.X509Certificate;
}

export interface TestPki {
  rootDer: Uint8Array;
  issuingCaDer: Uint8Array;
  /** Issues a person certificate under the trusted issuing CA. */
  issue(spec: PersonCertificateSpec): Promise<Uint8Array>;
  /** Same CA names, different keys: nothing it signs chains to the trusted root. */
  issueUntrusted(spec: PersonCertificateSpec): Promise<Uint8Array>;
  crl(spec: CrlSpec): Promise<Uint8Array>;
  /** A CRL with the right issuer name that the issuing CA did not sign. */
  forgedCrl(spec: CrlSpec): Promise<Uint8Array>;
}

const der = (item: { rawData: ArrayBuffer }): Uint8Array => new Uint8Array(item.rawData);
const generateKeys = (): Promise<webcrypto.CryptoKeyPair> =>
  webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>;
const randomSerial = (): string => `7e${Buffer.from(webcrypto.getRandomValues(new Uint8Array(11))).toString('hex')}`;

async function authority(name: string, issuer: Authority | null, now: Date): Promise<Authority> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: name,
    issuer: issuer ? issuer.certificate.subject : name,
    notBefore: new Date(now.getTime() - 3650 * DAY_MS),
    notAfter: new Date(now.getTime() + 7300 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: (issuer ?? { keys }).keys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, issuer ? 0 : undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return { keys, certificate };
}

/** The certificate generator takes WebCrypto keys; the cards hold node:crypto key objects. */
async function webCryptoPublicKey(key: KeyObject): Promise<webcrypto.CryptoKey> {
  const spki = key.export({ format: 'der', type: 'spki' });
  const algorithm = key.asymmetricKeyType === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', namedCurve: 'P-256' };
  return webcrypto.subtle.importKey('spki', spki, algorithm, true, ['verify']);
}

async function personCertificate(issuer: Authority, defaultKeys: webcrypto.CryptoKeyPair, spec: PersonCertificateSpec): Promise<Uint8Array> {
  const usages =
    spec.usage === 'sign'
      ? x509.KeyUsageFlags.nonRepudiation
      : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment;
  const [givenName = '', ...rest] = spec.holder.name.split(' ');
  const subject = new x509.Name([
    { '2.5.4.6': ['SE'] },
    { '2.5.4.10': ['Region Testland'] },
    { '2.5.4.42': [givenName] },
    { '2.5.4.4': [rest.join(' ')] },
    { '2.5.4.5': [spec.holder.hsaId] },
    { '2.5.4.3': [spec.holder.name] },
  ]);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serialNumber ?? randomSerial(),
    subject,
    issuer: issuer.certificate.subject,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    publicKey: spec.publicKey ? await webCryptoPublicKey(spec.publicKey) : defaultKeys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [new x509.KeyUsagesExtension(usages, true), new x509.BasicConstraintsExtension(false)],
  });
  return der(certificate);
}

async function signCrl(issuer: Authority, signingKey: webcrypto.CryptoKey, spec: CrlSpec): Promise<Uint8Array> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.certificate.subject,
    thisUpdate: spec.thisUpdate,
    nextUpdate: spec.nextUpdate,
    entries: spec.revokedSerials.map((serialNumber) => ({
      serialNumber,
      revocationDate: spec.thisUpdate,
      reason: x509.X509CrlReason.keyCompromise,
    })),
    signingKey,
    signingAlgorithm: ALGORITHM,
  });
  return der(crl);
}

async function createPki(): Promise<TestPki> {
  const now = new Date();
  const root = await authority(ROOT_NAME, null, now);
  const issuing = await authority(ISSUING_CA_NAME, root, now);
  const rogueRoot = await authority(ROOT_NAME, null, now);
  const rogueIssuing = await authority(ISSUING_CA_NAME, rogueRoot, now);
  // the key of certificates issued without a card's own key: nothing signs with it
  const holderKeys = await generateKeys();
  return {
    rootDer: der(root.certificate),
    issuingCaDer: der(issuing.certificate),
    issue: (spec) => personCertificate(issuing, holderKeys, spec),
    issueUntrusted: (spec) => personCertificate(rogueIssuing, holderKeys, spec),
    crl: (spec) => signCrl(issuing, issuing.keys.privateKey, spec),
    forgedCrl: (spec) => signCrl(issuing, rogueIssuing.keys.privateKey, spec),
  };
}

let cached: Promise<TestPki> | null = null;

/** One PKI per process: key generation is the slow part. */
export function testPki(): Promise<TestPki> {
  cached ??= createPki();
  return cached;
}
