// Proves a card holds the private key of its certificate: a fresh random challenge is signed on the card and checked with node:crypto against the certificate's public key.
import { type KeyObject, X509Certificate, constants, createHash, randomBytes, verify } from 'node:crypto';
import { CardError, concatBytes } from './apdu';
import type { CardProfile, SignatureRequest } from './profiles/profile';

/** ok: the card signed with the certificate's key; mismatch: it signed, but with another key. */
export type KeyProof = 'ok' | 'mismatch' | 'pin-required' | 'not-supported' | 'failed';

const CHALLENGE_BYTES = 32;
/** DER of DigestInfo up to the digest (RFC 8017 §9.2 note 1). */
const DIGEST_INFO_PREFIX = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
} as const;
type Hash = keyof typeof DIGEST_INFO_PREFIX;
const CURVES: Readonly<Record<string, { curve: 'P-256' | 'P-384'; hash: Hash; fieldBytes: number }>> = {
  prime256v1: { curve: 'P-256', hash: 'sha256', fieldBytes: 32 },
  secp384r1: { curve: 'P-384', hash: 'sha384', fieldBytes: 48 },
};

const hashOf = (publicKey: KeyObject): Hash | null =>
  publicKey.asymmetricKeyType === 'rsa' ? 'sha256' : (CURVES[publicKey.asymmetricKeyDetails?.namedCurve ?? '']?.hash ?? null);

/** What the card must be given to sign `challenge` with a key of this kind; null for keys we can't check (e.g. RSA-PSS-only, Ed25519). */
export function signatureRequestFor(publicKey: KeyObject, challenge: Uint8Array): SignatureRequest | null {
  const hash = hashOf(publicKey);
  if (!hash) return null;
  const digest = new Uint8Array(createHash(hash).update(challenge).digest());
  if (publicKey.asymmetricKeyType === 'rsa') {
    const modulusBytes = Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
    return { algorithm: 'rsa-pkcs1', digestInfo: concatBytes([DIGEST_INFO_PREFIX[hash], digest]), modulusBytes };
  }
  const curve = CURVES[publicKey.asymmetricKeyDetails?.namedCurve ?? ''];
  return curve ? { algorithm: 'ecdsa', digest, curve: curve.curve } : null;
}

/**
 * True when `signature` is the key's signature of `challenge`: RSA PKCS#1 v1.5, or ECDSA as r||s (ISO 7816-8 cards)
 * or DER (PIV cards). Anything malformed is simply not a match.
 */
export function signatureMatches(publicKey: KeyObject, challenge: Uint8Array, signature: Uint8Array): boolean {
  const hash = hashOf(publicKey);
  if (!hash) return false;
  try {
    if (publicKey.asymmetricKeyType === 'rsa') return verify(hash, challenge, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
    const fieldBytes = CURVES[publicKey.asymmetricKeyDetails?.namedCurve ?? '']?.fieldBytes ?? 0;
    const dsaEncoding = signature.length === 2 * fieldBytes ? 'ieee-p1363' : 'der';
    return verify(hash, challenge, { key: publicKey, dsaEncoding }, signature);
  } catch {
    return false;
  }
}

/** Asks the card to sign a fresh challenge with the key of `certificateDer`; the key's PIN must already be verified. */
export async function proveKey(profile: CardProfile, certificateDer: Uint8Array): Promise<KeyProof> {
  let publicKey: KeyObject;
  try {
    publicKey = new X509Certificate(certificateDer).publicKey;
  } catch {
    return 'not-supported';
  }
  const challenge = new Uint8Array(randomBytes(CHALLENGE_BYTES));
  const request = signatureRequestFor(publicKey, challenge);
  if (!request) return 'not-supported';
  try {
    const answer = await profile.sign(certificateDer, request);
    if (answer.kind !== 'ok') return answer.kind;
    return signatureMatches(publicKey, challenge, answer.signature) ? 'ok' : 'mismatch';
  } catch (error) {
    // a garbled answer is no proof; removal and dead readers are for the caller to report
    if (error instanceof CardError && error.code === 'card-data-corrupt') return 'failed';
    throw error;
  }
}
