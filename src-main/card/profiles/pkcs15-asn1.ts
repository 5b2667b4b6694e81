// Decoders for the PKCS#15 (ISO/IEC 7816-15) files SITHS cards carry: EF.DIR, ODF, TokenInfo, CDF, PrKDF, AODF.
import { CardError, toHex } from '../apdu';
import { type Tlv, childrenOf, decodeBitString, decodeInteger, decodeUtf8, findTag, parseTlvs, requireTag } from '../tlv';

export interface DirApplication {
  aid: Uint8Array | null;
  label: string | null;
  path: Uint8Array | null;
}

export interface Pkcs15Path {
  path: Uint8Array;
  offset: number | null;
  length: number | null;
}

export interface Odf {
  privateKeys: Pkcs15Path[];
  certificates: Pkcs15Path[];
  authObjects: Pkcs15Path[];
}

export type ObjectLocation = { kind: 'path'; at: Pkcs15Path } | { kind: 'direct'; der: Uint8Array };

export interface CertificateEntry {
  label: string | null;
  id: Uint8Array;
  location: ObjectLocation;
}

export interface PrivateKeyEntry {
  id: Uint8Array;
  authId: Uint8Array | null;
  usage: ReadonlySet<number>;
  /** What MSE:SET names the key by (CommonKeyAttributes.keyReference); null when the card did not say. */
  keyReference: number | null;
  /** Where the key lives (PrivateKeyAttributes value path); null when not given as a path. */
  path: Uint8Array | null;
}

export interface PinEntry {
  label: string | null;
  authId: Uint8Array;
  /** authId of the PIN that unblocks this one (CommonObjectAttributes.authId). */
  unblockedBy: Uint8Array | null;
  unblockingPin: boolean;
  soPin: boolean;
  needsPadding: boolean;
  pinType: number;
  minLength: number;
  storedLength: number;
  maxLength: number | null;
  reference: number | null;
  padChar: number;
  path: Uint8Array | null;
}

export const PIN_TYPE = { bcd: 0, asciiNumeric: 1, utf8: 2 } as const;
export const KEY_USAGE_BIT = { sign: 2, nonRepudiation: 9 } as const;
const PIN_FLAG_BIT = { needsPadding: 5, unblockingPin: 6, soPin: 7 } as const;
/** ODF choices whose files are certificate directories: certificates, trustedCertificates, usefulCertificates. */
const ODF_CERTIFICATE_TAGS = new Set([0xa4, 0xa5, 0xa6]);
const ODF_PRIVATE_KEYS = 0xa0;
const ODF_AUTH_OBJECTS = 0xa8;

const corrupt = (what: string): CardError => new CardError('card-data-corrupt', `PKCS#15: ${what}`);
const optionalText = (items: readonly Tlv[], tag: number): string | null => {
  const found = findTag(items, tag);
  return found ? decodeUtf8(found.value) : null;
};

export function parseDir(bytes: Uint8Array): DirApplication[] {
  return parseTlvs(bytes)
    .filter((record) => record.tag === 0x61)
    .map((record) => {
      const items = childrenOf(record);
      return {
        aid: findTag(items, 0x4f)?.value ?? null,
        label: optionalText(items, 0x50),
        path: findTag(items, 0x51)?.value ?? null,
      };
    });
}

function parsePath(sequence: Tlv): Pkcs15Path {
  if (sequence.tag !== 0x30) throw corrupt('path is not a SEQUENCE');
  const items = childrenOf(sequence);
  const index = findTag(items, 0x02);
  const length = findTag(items, 0x80);
  const offset = index ? decodeInteger(index.value) : null;
  const count = length ? decodeInteger(length.value) : null;
  if ((offset !== null && offset < 0) || (count !== null && count <= 0)) throw corrupt('negative offset or length');
  return { path: requireTag(items, 0x04).value, offset, length: count };
}

export function parseOdf(bytes: Uint8Array): Odf {
  const odf: Odf = { privateKeys: [], certificates: [], authObjects: [] };
  for (const entry of parseTlvs(bytes)) {
    const choice = childrenOf(entry)[0];
    // only the path form is used on cards; direct objects inside the ODF are skipped
    if (!choice || choice.tag !== 0x30) continue;
    const path = parsePath(choice);
    if (entry.tag === ODF_PRIVATE_KEYS) odf.privateKeys.push(path);
    else if (entry.tag === ODF_AUTH_OBJECTS) odf.authObjects.push(path);
    else if (ODF_CERTIFICATE_TAGS.has(entry.tag)) odf.certificates.push(path);
  }
  return odf;
}

/** The TokenInfo serial number as hex, the way OpenSC prints it. */
export function parseTokenInfoSerial(bytes: Uint8Array): string | null {
  const tokenInfo = parseTlvs(bytes)[0];
  if (!tokenInfo || tokenInfo.tag !== 0x30) throw corrupt('TokenInfo is not a SEQUENCE');
  const serial = findTag(childrenOf(tokenInfo), 0x04);
  return serial && serial.value.length > 0 ? toHex(serial.value) : null;
}

/** PKCS15Object: common object attributes, class attributes, optional [0] subclass, [1] type attributes. */
function objectParts(entry: Tlv): { common: Tlv[]; classAttributes: Tlv[]; typeAttributes: Tlv[] } {
  const parts = childrenOf(entry);
  const [common, classAttributes] = parts;
  const typed = parts.find((part, index) => index >= 2 && part.tag === 0xa1);
  if (!common || !classAttributes || !typed) throw corrupt('object without its attributes');
  return { common: childrenOf(common), classAttributes: childrenOf(classAttributes), typeAttributes: childrenOf(typed) };
}

export function parseCdf(bytes: Uint8Array): CertificateEntry[] {
  const entries: CertificateEntry[] = [];
  for (const entry of parseTlvs(bytes)) {
    if (entry.tag !== 0x30) continue; // attribute certificates, SPKI and WTLS entries are not X.509 certificates
    const { common, classAttributes, typeAttributes } = objectParts(entry);
    const attributes = typeAttributes[0];
    if (!attributes || attributes.tag !== 0x30) throw corrupt('certificate attributes');
    const value = childrenOf(attributes)[0];
    if (!value) throw corrupt('certificate value');
    const location: ObjectLocation =
      value.tag === 0xa0 ? { kind: 'direct', der: value.value } : { kind: 'path', at: parsePath(value) };
    entries.push({ label: optionalText(common, 0x0c), id: requireTag(classAttributes, 0x04).value, location });
  }
  return entries;
}

export function parsePrkdf(bytes: Uint8Array): PrivateKeyEntry[] {
  return parseTlvs(bytes).map((entry) => {
    const parts = childrenOf(entry);
    const [common, key] = parts;
    if (!common || !key) throw corrupt('private key object');
    const keyItems = childrenOf(key);
    const usage = findTag(keyItems, 0x03);
    const reference = findTag(keyItems, 0x02);
    const typed = parts.find((part, index) => index >= 2 && part.tag === 0xa1);
    const attributes = typed ? childrenOf(typed)[0] : undefined;
    const value = attributes?.tag === 0x30 ? childrenOf(attributes)[0] : undefined;
    return {
      id: requireTag(keyItems, 0x04).value,
      authId: findTag(childrenOf(common), 0x04)?.value ?? null,
      usage: usage ? decodeBitString(usage.value) : new Set<number>(),
      keyReference: reference ? decodeInteger(reference.value) : null,
      path: value?.tag === 0x30 ? parsePath(value).path : null,
    };
  });
}

function parsePin(entry: Tlv): PinEntry {
  const { common, classAttributes, typeAttributes } = objectParts(entry);
  const attributes = typeAttributes[0];
  if (!attributes || attributes.tag !== 0x30) throw corrupt('PIN attributes');
  const items = childrenOf(attributes);
  const flags = decodeBitString(requireTag(items, 0x03).value);
  const integers = items.filter((item) => item.tag === 0x02).map((item) => decodeInteger(item.value));
  const [minLength, storedLength, maxLength] = integers;
  if (minLength === undefined || storedLength === undefined) throw corrupt('PIN lengths');
  if (minLength < 0 || storedLength < 0 || storedLength > 64 || (maxLength !== undefined && maxLength < minLength)) {
    throw corrupt('PIN lengths out of range');
  }
  const reference = findTag(items, 0x80);
  const padChar = findTag(items, 0x04);
  const path = findTag(items, 0x30);
  return {
    label: optionalText(common, 0x0c),
    authId: requireTag(classAttributes, 0x04).value,
    unblockedBy: findTag(common, 0x04)?.value ?? null,
    unblockingPin: flags.has(PIN_FLAG_BIT.unblockingPin),
    soPin: flags.has(PIN_FLAG_BIT.soPin),
    needsPadding: flags.has(PIN_FLAG_BIT.needsPadding),
    pinType: decodeInteger(requireTag(items, 0x0a).value),
    minLength,
    storedLength,
    maxLength: maxLength ?? null,
    reference: reference ? decodeInteger(reference.value) & 0xff : null,
    padChar: padChar?.value[0] ?? 0xff,
    path: path ? parsePath(path).path : null,
  };
}

/** PIN objects only; biometric and authentication-key objects are skipped. */
export function parseAodf(bytes: Uint8Array): PinEntry[] {
  return parseTlvs(bytes)
    .filter((entry) => entry.tag === 0x30)
    .map(parsePin);
}
