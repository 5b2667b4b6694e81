// RFC 6030 §6 on node:crypto: AES-CBC XML Encryption, HMAC ValueMAC, pre-shared or PBKDF2 keys (no npm PSKC lib is maintained).
import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { decodeBase64 } from './parsed-token';
import { TokenFileError } from './token-file-error';
import { attributeOf, childElement, childText } from './pskc-xml';
import type { XmlElement } from './pskc-xml';

/** What the operator supplies to open an encrypted file: the vendor's transport key or the file password. */
export interface PskcDecryption {
  readonly preSharedKey?: Uint8Array;
  readonly password?: string;
}

const AES_BLOCK_BYTES = 16;
const XMLENC = 'http://www.w3.org/2001/04/xmlenc#';
const XMLDSIG_MORE = 'http://www.w3.org/2001/04/xmldsig-more#';

const cbcCiphers: ReadonlyMap<string, { readonly name: string; readonly keyBytes: number }> = new Map([
  [`${XMLENC}aes128-cbc`, { name: 'aes-128-cbc', keyBytes: 16 }],
  [`${XMLENC}aes192-cbc`, { name: 'aes-192-cbc', keyBytes: 24 }],
  [`${XMLENC}aes256-cbc`, { name: 'aes-256-cbc', keyBytes: 32 }],
]);

const hmacHashes: ReadonlyMap<string, string> = new Map([
  ['http://www.w3.org/2000/09/xmldsig#hmac-sha1', 'sha1'],
  [`${XMLDSIG_MORE}hmac-sha224`, 'sha224'],
  [`${XMLDSIG_MORE}hmac-sha256`, 'sha256'],
  [`${XMLDSIG_MORE}hmac-sha384`, 'sha384'],
  [`${XMLDSIG_MORE}hmac-sha512`, 'sha512'],
]);

// A hostile file must not make the import spin: real files use 1,000–100,000 rounds.
const MAX_PBKDF2_ITERATIONS = 1_000_000;
const PBKDF2_ALGORITHM_SUFFIX = 'pkcs-5v2-0#pbkdf2';

/** Decrypts IV ‖ ciphertext; the padding check is what tells a wrong key from a readable value. */
function decryptCbc(algorithmUri: string | undefined, ivAndCiphertext: Buffer, key: Buffer): Buffer {
  const cipher = algorithmUri === undefined ? undefined : cbcCiphers.get(algorithmUri.trim());
  if (!cipher) throw new TokenFileError('unsupported-encryption');
  if (key.length !== cipher.keyBytes) throw new TokenFileError('wrong-key');
  if (ivAndCiphertext.length < 2 * AES_BLOCK_BYTES || ivAndCiphertext.length % AES_BLOCK_BYTES !== 0) {
    throw new TokenFileError('bad-encoding');
  }
  const decipher = createDecipheriv(cipher.name, key, ivAndCiphertext.subarray(0, AES_BLOCK_BYTES));
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(ivAndCiphertext.subarray(AES_BLOCK_BYTES)), decipher.final()]);
  // XML Encryption allows arbitrary filler before the length byte, but every producer we know writes PKCS#7,
  // and checking all filler bytes makes a wrong key show up as "wrong key" instead of as garbage.
  const padLength = padded[padded.length - 1] ?? 0;
  if (padLength < 1 || padLength > AES_BLOCK_BYTES) throw new TokenFileError('wrong-key');
  for (let i = padded.length - padLength; i < padded.length; i++) {
    if (padded[i] !== padLength) throw new TokenFileError('wrong-key');
  }
  return padded.subarray(0, padded.length - padLength);
}

function computeMac(algorithmUri: string | undefined, macKey: Buffer, data: Buffer): Buffer {
  const hash = algorithmUri === undefined ? undefined : hmacHashes.get(algorithmUri.trim());
  if (!hash) throw new TokenFileError('unsupported-encryption');
  return createHmac(hash, macKey).update(data).digest();
}

function pbkdf2Hash(prf: XmlElement | undefined): string {
  const uri = attributeOf(prf, 'Algorithm')?.trim();
  // RFC 8018: an absent PRF means HMAC-SHA1.
  if (uri === undefined || uri === '') return 'sha1';
  const hash = hmacHashes.get(uri);
  if (!hash) throw new TokenFileError('unsupported-encryption');
  return hash;
}

function readPositiveInteger(text: string | undefined, fallback: number | undefined, max: number): number {
  const trimmed = text?.trim();
  const value = trimmed === undefined ? fallback : /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : undefined;
  if (value === undefined || value < 1 || value > max) throw new TokenFileError('unsupported-encryption');
  return value;
}

function deriveKeyFromPassword(derivedKey: XmlElement, password: string): Buffer {
  const method = childElement(derivedKey, 'KeyDerivationMethod');
  if (!attributeOf(method, 'Algorithm')?.trim().endsWith(PBKDF2_ALGORITHM_SUFFIX)) {
    throw new TokenFileError('unsupported-encryption');
  }
  const params = childElement(method, 'PBKDF2-params');
  const saltText = childText(childElement(params, 'Salt'), 'Specified');
  if (saltText === undefined) throw new TokenFileError('unsupported-encryption');
  const salt = decodeBase64(saltText);
  const iterations = readPositiveInteger(childText(params, 'IterationCount'), undefined, MAX_PBKDF2_ITERATIONS);
  const keyLength = readPositiveInteger(childText(params, 'KeyLength'), 16, 32);
  if (keyLength % 8 !== 0 || keyLength < 16) throw new TokenFileError('unsupported-encryption');
  const hash = pbkdf2Hash(childElement(params, 'PRF'));
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, keyLength, hash);
}

function resolveEncryptionKey(container: XmlElement, decryption: PskcDecryption): Buffer {
  const encryptionKey = childElement(container, 'EncryptionKey');
  const derivedKey = childElement(encryptionKey, 'DerivedKey');
  if (derivedKey) {
    if (decryption.password === undefined) throw new TokenFileError('missing-key');
    return deriveKeyFromPassword(derivedKey, decryption.password);
  }
  if (encryptionKey && childElement(encryptionKey, 'KeyName') === undefined) {
    // Certificates (RFC 6030 §6.3) and other key transports are not used by our token vendors.
    throw new TokenFileError('unsupported-encryption');
  }
  if (decryption.preSharedKey === undefined) throw new TokenFileError('missing-key');
  return Buffer.from(decryption.preSharedKey);
}

function cipherValueOf(encrypted: XmlElement): Buffer {
  const text = childText(childElement(encrypted, 'CipherData'), 'CipherValue');
  if (text === undefined) throw new TokenFileError('missing-secret');
  return decodeBase64(text);
}

/** Opens the encrypted values of one file: key material is resolved once, on the first encrypted value. */
export class PskcValueOpener {
  private keys: { readonly encryption: Buffer; readonly mac: Buffer } | undefined;

  constructor(
    private readonly container: XmlElement,
    private readonly decryption: PskcDecryption,
  ) {}

  private resolveKeys(): { readonly encryption: Buffer; readonly mac: Buffer } {
    if (this.keys) return this.keys;
    const encryption = resolveEncryptionKey(this.container, this.decryption);
    const macKey = childElement(childElement(this.container, 'MACMethod'), 'MACKey');
    // Drafts before RFC 6030 had no MACKey and used the encryption key for the MAC as well.
    const mac = macKey
      ? decryptCbc(attributeOf(childElement(macKey, 'EncryptionMethod'), 'Algorithm'), cipherValueOf(macKey), encryption)
      : encryption;
    this.keys = { encryption, mac };
    return this.keys;
  }

  /** Checks the ValueMAC over IV ‖ ciphertext (encrypt-then-MAC, RFC 6030 §6.1.1) before decrypting. */
  open(encryptedValue: XmlElement, valueMac: string | undefined): Buffer {
    const algorithm = attributeOf(childElement(encryptedValue, 'EncryptionMethod'), 'Algorithm')?.trim();
    if (algorithm === undefined || !cbcCiphers.has(algorithm)) throw new TokenFileError('unsupported-encryption');
    const keys = this.resolveKeys();
    const macMethod = childElement(this.container, 'MACMethod');
    if (valueMac === undefined || macMethod === undefined) throw new TokenFileError('missing-mac');
    const ivAndCiphertext = cipherValueOf(encryptedValue);
    const expected = decodeBase64(valueMac);
    const actual = computeMac(attributeOf(macMethod, 'Algorithm'), keys.mac, ivAndCiphertext);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
      throw new TokenFileError('bad-mac');
    }
    return decryptCbc(algorithm, ivAndCiphertext, keys.encryption);
  }
}
