// Hand-written: card files are BER-TLV padded with 00/FF and mix ISO 7816 application tags with PKCS#15 context tags, which a schema-driven ASN.1 library rejects or needs a class per structure for.
import { CardError } from './apdu';

export interface Tlv {
  /** Tag bytes as one number, e.g. 0x30, 0xa1, 0x5fc105. */
  readonly tag: number;
  readonly constructed: boolean;
  readonly value: Uint8Array;
}

const MAX_TAG_BYTES = 4;
const MAX_LENGTH_BYTES = 3;
const MAX_DEPTH = 16;

const corrupt = (what: string): CardError => new CardError('card-data-corrupt', `Malformed TLV: ${what}`);

function readTag(bytes: Uint8Array, start: number): { tag: number; constructed: boolean; next: number } {
  const first = bytes[start];
  if (first === undefined) throw corrupt('missing tag');
  let tag = first;
  let next = start + 1;
  if ((first & 0x1f) === 0x1f) {
    let more = true;
    while (more) {
      const byte = bytes[next];
      if (byte === undefined) throw corrupt('truncated tag');
      if (next - start >= MAX_TAG_BYTES) throw corrupt('tag too long');
      tag = tag * 256 + byte;
      next += 1;
      more = (byte & 0x80) !== 0;
    }
  }
  return { tag, constructed: (first & 0x20) !== 0, next };
}

function readLength(bytes: Uint8Array, start: number): { length: number; next: number } {
  const first = bytes[start];
  if (first === undefined) throw corrupt('missing length');
  if (first < 0x80) return { length: first, next: start + 1 };
  const count = first & 0x7f;
  if (count === 0) throw corrupt('indefinite length');
  if (count > MAX_LENGTH_BYTES) throw corrupt('length too long');
  let length = 0;
  for (let i = 1; i <= count; i++) {
    const byte = bytes[start + i];
    if (byte === undefined) throw corrupt('truncated length');
    length = length * 256 + byte;
  }
  return { length, next: start + 1 + count };
}

/** Reads one TLV at `offset`; throws card-data-corrupt when it runs past the end. */
export function readTlv(bytes: Uint8Array, offset = 0): { tlv: Tlv; next: number } {
  const { tag, constructed, next: afterTag } = readTag(bytes, offset);
  const { length, next: valueStart } = readLength(bytes, afterTag);
  const end = valueStart + length;
  if (end > bytes.length) throw corrupt(`value of tag ${tag.toString(16)} runs past the end`);
  return { tlv: { tag, constructed, value: bytes.subarray(valueStart, end) }, next: end };
}

/** All TLVs in `bytes`, stopping at 00 or FF fill (unused space at the end of a card file). */
export function parseTlvs(bytes: Uint8Array): Tlv[] {
  const items: Tlv[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const first = bytes[offset];
    if (first === 0x00 || first === 0xff) break;
    const { tlv, next } = readTlv(bytes, offset);
    items.push(tlv);
    offset = next;
  }
  return items;
}

/** Children of a constructed TLV, inside DER content (no fill allowed there). */
export function childrenOf(tlv: Tlv): Tlv[] {
  if (!tlv.constructed) throw corrupt(`tag ${tlv.tag.toString(16)} is not constructed`);
  const items: Tlv[] = [];
  let offset = 0;
  while (offset < tlv.value.length) {
    const { tlv: child, next } = readTlv(tlv.value, offset);
    items.push(child);
    offset = next;
  }
  return items;
}

export function findTag(items: readonly Tlv[], tag: number): Tlv | undefined {
  return items.find((item) => item.tag === tag);
}

export function requireTag(items: readonly Tlv[], tag: number): Tlv {
  const found = findTag(items, tag);
  if (!found) throw corrupt(`tag ${tag.toString(16)} missing`);
  return found;
}

/** Depth-first search for a tag, bounded so hostile nesting can't recurse forever. */
export function findDeep(items: readonly Tlv[], tag: number, depth = 0): Tlv | undefined {
  if (depth > MAX_DEPTH) throw corrupt('nesting too deep');
  for (const item of items) {
    if (item.tag === tag) return item;
    if (item.constructed) {
      const found = findDeep(childrenOf(item), tag, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** DER INTEGER content as a JS number (two's complement), limited to 6 bytes. */
export function decodeInteger(value: Uint8Array): number {
  if (value.length === 0 || value.length > 6) throw corrupt('integer length');
  let unsigned = 0;
  for (const byte of value) unsigned = unsigned * 256 + byte;
  const negative = ((value[0] ?? 0) & 0x80) !== 0;
  return negative ? unsigned - 256 ** value.length : unsigned;
}

/** DER BIT STRING content → the set bit numbers (bit 0 is the first, most significant bit). */
export function decodeBitString(value: Uint8Array): Set<number> {
  const unused = value[0];
  if (unused === undefined || unused > 7 || (value.length === 1 && unused !== 0)) throw corrupt('bit string');
  const bits = new Set<number>();
  for (let i = 1; i < value.length; i++) {
    const byte = value[i] ?? 0;
    for (let bit = 0; bit < 8; bit++) if (byte & (0x80 >> bit)) bits.add((i - 1) * 8 + bit);
  }
  return bits;
}

export function decodeUtf8(value: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(value);
}

/** One TLV with a one-byte tag and a DER length (up to 65535 bytes), for the few command templates we build. */
export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const length = value.length;
  const header = length < 0x80 ? [tag, length] : length < 0x100 ? [tag, 0x81, length] : [tag, 0x82, length >> 8, length & 0xff];
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  out.set(value, header.length);
  return out;
}
