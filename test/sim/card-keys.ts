// A virtual card's private keys and the operations a card does with them; ECDSA over a given digest is hand-written because Node's crypto only signs whole messages and no curve library is a dependency.
import { type KeyObject, constants, generateKeyPair, privateEncrypt, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { concat, tlv } from './der';

export type KeyAlgorithm = 'rsa-2048' | 'ec-p256';

export interface CardKeyPair {
  algorithm: KeyAlgorithm;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

const generate = promisify(generateKeyPair);

export async function generateCardKeyPair(algorithm: KeyAlgorithm): Promise<CardKeyPair> {
  const { publicKey, privateKey } =
    algorithm === 'rsa-2048' ? await generate('rsa', { modulusLength: 2048 }) : await generate('ec', { namedCurve: 'P-256' });
  return { algorithm, publicKey, privateKey };
}

export const modulusBytes = (key: KeyObject): number => Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);

/** RSA signing as the card does it: a DigestInfo is padded PKCS#1 v1.5 on the card, a block of the modulus length is used raw. */
export function rsaSign(key: KeyObject, input: Uint8Array): Uint8Array | null {
  const size = modulusBytes(key);
  if (input.length === size) return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, input));
  // PKCS#1 v1.5 needs 11 bytes of padding around the DigestInfo
  if (input.length > size - 11) return null;
  return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, input));
}

const P256 = {
  p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
} as const;
const FIELD_BYTES = 32;

type Point = { x: bigint; y: bigint } | null;

const mod = (value: bigint, m: bigint): bigint => ((value % m) + m) % m;

function inverse(value: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(value, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS, m);
}

function add(a: Point, b: Point): Point {
  if (!a) return b;
  if (!b) return a;
  const { p } = P256;
  if (a.x === b.x && mod(a.y + b.y, p) === 0n) return null;
  // the curve's a is -3
  const slope = a.x === b.x ? mod((3n * a.x * a.x - 3n) * inverse(2n * a.y, p), p) : mod((b.y - a.y) * inverse(b.x - a.x, p), p);
  const x = mod(slope * slope - a.x - b.x, p);
  return { x, y: mod(slope * (a.x - x) - a.y, p) };
}

function multiply(k: bigint, point: Point): Point {
  let result: Point = null;
  let addend = point;
  for (let rest = k; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

const toBigInt = (bytes: Uint8Array): bigint => (bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`));
const toBytes = (value: bigint, length: number): Uint8Array => Uint8Array.from(Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex'));

/** ECDSA P-256 over a digest the host computed, as r || s (ISO 7816-8 cards answer PSO in this plain form). */
export function ecdsaSignDigest(key: KeyObject, digest: Uint8Array): Uint8Array {
  const d = toBigInt(Buffer.from(key.export({ format: 'jwk' }).d ?? '', 'base64url'));
  const { n } = P256;
  const e = toBigInt(digest.subarray(0, FIELD_BYTES));
  for (;;) {
    const k = mod(toBigInt(randomBytes(FIELD_BYTES + 8)), n - 1n) + 1n;
    const point = multiply(k, { x: P256.gx, y: P256.gy });
    const r = point ? mod(point.x, n) : 0n;
    const s = mod(inverse(k, n) * (e + r * d), n);
    if (r !== 0n && s !== 0n) return concat(toBytes(r, FIELD_BYTES), toBytes(s, FIELD_BYTES));
  }
}

/** r || s as the DER ECDSA-Sig-Value PIV cards answer GENERAL AUTHENTICATE with. */
export function ecdsaDer(plain: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array): Uint8Array => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
    const trimmed = bytes.subarray(start);
    return tlv(0x02, (trimmed[0] ?? 0) & 0x80 ? concat(Uint8Array.of(0), trimmed) : trimmed);
  };
  const half = plain.length / 2;
  return tlv(0x30, integer(plain.subarray(0, half)), integer(plain.subarray(half)));
}
