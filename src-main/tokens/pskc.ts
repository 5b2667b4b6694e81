// Imports RFC 6030 PSKC token seed files (npm has no maintained PSKC parser); any bad key refuses the whole file.
import type { OtpHashAlgorithm } from './otp';
import {
  SerialRegistry,
  checkCounter,
  checkDrift,
  checkPeriod,
  checkSecret,
  checkT0,
  decodeBase64,
  normaliseSerial,
  parseDigits,
  DEFAULT_PERIOD_SECONDS,
} from './parsed-token';
import type { ParsedToken } from './parsed-token';
import { PskcValueOpener } from './pskc-crypto';
import type { PskcDecryption } from './pskc-crypto';
import { attributeOf, childElement, childText, loadPskcDocument } from './pskc-xml';
import type { XmlElement } from './pskc-xml';
import { TokenFileError, locateTokenFileError } from './token-file-error';
import type { TokenFileErrorCode } from './token-file-error';

export type { PskcDecryption } from './pskc-crypto';

const otpKinds: ReadonlyMap<string, 'hotp' | 'totp'> = new Map([
  ['urn:ietf:params:xml:ns:keyprov:pskc:hotp', 'hotp'],
  ['urn:ietf:params:xml:ns:keyprov:pskc:totp', 'totp'],
  // The algorithm-profiles draft, still written by some token vendors.
  ['urn:ietf:params:xml:ns:keyprov:pskc#hotp', 'hotp'],
  ['urn:ietf:params:xml:ns:keyprov:pskc#totp', 'totp'],
]);

const suiteHashes: ReadonlyMap<string, OtpHashAlgorithm> = new Map([
  ['SHA1', 'SHA1'],
  ['SHA256', 'SHA256'],
  ['SHA512', 'SHA512'],
]);

// RFC 6030's own minimal example (Figure 2) has no ResponseFormat; 6 is what HOTP tokens show.
const DEFAULT_DIGITS = 6;

/** Parses a PSKC document completely; returns every token or throws one TokenFileError, never a partial list. */
export function parsePskc(text: string, decryption: PskcDecryption = {}): ParsedToken[] {
  if (text.trim() === '') throw new TokenFileError('empty-file');
  const document = loadPskcDocument(text);
  if (document.keyPackages.length === 0) throw new TokenFileError('no-tokens');
  const opener = new PskcValueOpener(document.container, decryption);
  const serials = new SerialRegistry();
  return document.keyPackages.map((keyPackage) => {
    const key = childElement(keyPackage, 'Key');
    const keyId = attributeOf(key, 'Id');
    const line = document.lineOf(key ?? keyPackage);
    let serial: string | undefined;
    try {
      if (!key) throw new TokenFileError('missing-secret');
      const deviceInfo = childElement(keyPackage, 'DeviceInfo');
      // Without a device serial (RFC 6030 Figure 2) the key's Id is the only identifier there is.
      serial = normaliseSerial(childText(deviceInfo, 'SerialNo') ?? keyId);
      const manufacturer = childText(deviceInfo, 'Manufacturer')?.trim() || undefined;
      const token = readKey(key, serial, manufacturer, opener);
      serials.claim(serial, line);
      return token;
    } catch (error) {
      throw locateTokenFileError(error, { line, keyId, serial });
    }
  });
}

function readKey(
  key: XmlElement,
  serial: string,
  manufacturer: string | undefined,
  opener: PskcValueOpener,
): ParsedToken {
  const kind = otpKinds.get(attributeOf(key, 'Algorithm')?.trim() ?? '');
  if (!kind) throw new TokenFileError('unknown-algorithm');
  const parameters = childElement(key, 'AlgorithmParameters');
  const algorithm = hashOfSuite(childText(parameters, 'Suite'));
  const responseFormat = childElement(parameters, 'ResponseFormat');
  const encoding = attributeOf(responseFormat, 'Encoding')?.trim().toUpperCase();
  if (encoding !== undefined && encoding !== 'DECIMAL') throw new TokenFileError('bad-digits');
  const digits = parseDigits(attributeOf(responseFormat, 'Length'), DEFAULT_DIGITS);

  const data = childElement(key, 'Data');
  const secretElement = childElement(data, 'Secret');
  const secretBytes = secretElement && readBinary(secretElement, opener);
  if (!secretBytes) throw new TokenFileError('missing-secret');
  // A copy, so the seed never shares memory with Buffer's pool or the decryption scratch space.
  const secret = checkSecret(Uint8Array.from(secretBytes));
  const common = { serial, ...(manufacturer ? { manufacturer } : {}), algorithm, digits, secret };

  if (kind === 'hotp') {
    const counter = readInteger(data, 'Counter', opener, 'counter-out-of-range', false) ?? 0n;
    return { ...common, kind, counter: checkCounter(counter) };
  }
  const period = readInteger(data, 'TimeInterval', opener, 'bad-time-parameters', false);
  const t0 = readInteger(data, 'Time', opener, 'bad-time-parameters', false);
  const drift = readInteger(data, 'TimeDrift', opener, 'bad-time-parameters', true);
  return {
    ...common,
    kind,
    periodSeconds: checkPeriod(period === undefined ? DEFAULT_PERIOD_SECONDS : Number(period)),
    t0: checkT0(t0 === undefined ? 0 : Number(t0)),
    driftSteps: checkDrift(drift === undefined ? 0 : Number(drift)),
  };
}

/** Suite names seen in files: "HMAC-SHA1", "hmac-sha256", "SHA512", or an xmldsig URI ending in one of those. */
function hashOfSuite(suite: string | undefined): OtpHashAlgorithm {
  if (suite === undefined || suite.trim() === '') return 'SHA1';
  const name = (suite.split('#').pop() ?? '').toUpperCase().replace(/^HMAC/, '').replace(/[^A-Z0-9]/g, '');
  const hash = suiteHashes.get(name);
  if (!hash) throw new TokenFileError('unknown-algorithm');
  return hash;
}

function readBinary(valueElement: XmlElement, opener: PskcValueOpener): Buffer | undefined {
  const plain = childText(valueElement, 'PlainValue');
  if (plain !== undefined) return decodeBase64(plain);
  const encrypted = childElement(valueElement, 'EncryptedValue');
  if (encrypted) return opener.open(encrypted, childText(valueElement, 'ValueMAC'));
  return undefined;
}

/** Plain integers are decimal text; encrypted ones are big-endian bytes (RFC 6030 §4.3.1 data types). */
function readInteger(
  data: XmlElement | undefined,
  name: string,
  opener: PskcValueOpener,
  invalidCode: TokenFileErrorCode,
  signed: boolean,
): bigint | undefined {
  const valueElement = childElement(data, name);
  if (!valueElement) return undefined;
  const plain = childText(valueElement, 'PlainValue');
  if (plain !== undefined) {
    const trimmed = plain.trim();
    if (!(signed ? /^[+-]?\d{1,40}$/ : /^\d{1,40}$/).test(trimmed)) throw new TokenFileError(invalidCode);
    return BigInt(trimmed);
  }
  const encrypted = childElement(valueElement, 'EncryptedValue');
  if (!encrypted) throw new TokenFileError(invalidCode);
  const bytes = opener.open(encrypted, childText(valueElement, 'ValueMAC'));
  if (bytes.length === 0 || bytes.length > 8) throw new TokenFileError(invalidCode);
  const unsigned = BigInt(`0x${bytes.toString('hex')}`);
  return signed ? BigInt.asIntN(bytes.length * 8, unsigned) : unsigned;
}
