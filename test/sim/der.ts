// Hand-written on purpose: the simulator builds its card files with its own encoder so a bug in the product's TLV reader can't hide behind a shared helper.

export function hex(text: string): Uint8Array {
  const clean = text.replace(/[\s:]/g, '');
  return Uint8Array.from(clean.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function tagBytes(tag: number): number[] {
  const bytes: number[] = [];
  for (let rest = tag; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return bytes.length > 0 ? bytes : [0];
}

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  if (length < 0x100) return [0x81, length];
  if (length < 0x10000) return [0x82, length >> 8, length & 0xff];
  return [0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
}

/** One TLV; `tag` holds all tag bytes, e.g. 0x5fc105. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const value = concat(...content);
  return concat(Uint8Array.from([...tagBytes(tag), ...lengthBytes(value.length)]), value);
}

export const sequence = (...content: Uint8Array[]): Uint8Array => tlv(0x30, ...content);
export const octets = (bytes: Uint8Array): Uint8Array => tlv(0x04, bytes);
export const utf8 = (text: string): Uint8Array => tlv(0x0c, new TextEncoder().encode(text));

/** Minimal two's-complement content of a non-negative integer. */
export function integerContent(value: number): Uint8Array {
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  if (bytes.length === 0 || (bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return Uint8Array.from(bytes);
}

export const integer = (value: number): Uint8Array => tlv(0x02, integerContent(value));
export const enumerated = (value: number): Uint8Array => tlv(0x0a, integerContent(value));

/** DER BIT STRING with the given bit numbers set (bit 0 is the most significant bit of the first byte). */
export function bitString(bits: readonly number[]): Uint8Array {
  const used = bits.length === 0 ? 0 : Math.max(...bits) + 1;
  const content = new Uint8Array(Math.ceil(used / 8));
  for (const bit of bits) content[bit >> 3] = (content[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  const unused = content.length * 8 - used;
  return tlv(0x03, Uint8Array.of(unused), content);
}

export interface ReadTlv {
  tag: number;
  value: Uint8Array;
}

/** The TLVs one after another in `bytes`; null when they don't parse (the applet then answers 6A80). */
export function readTlvs(bytes: Uint8Array): ReadTlv[] | null {
  const items: ReadTlv[] = [];
  let at = 0;
  while (at < bytes.length) {
    let tag = bytes[at++] ?? 0;
    if ((tag & 0x1f) === 0x1f) {
      do tag = tag * 256 + (bytes[at] ?? 0);
      while ((bytes[at++] ?? 0) & 0x80 && at < bytes.length);
    }
    const first = bytes[at++];
    if (first === undefined) return null;
    let length = first;
    if (first & 0x80) {
      const count = first & 0x7f;
      if (count === 0 || count > 3 || at + count > bytes.length) return null;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (bytes[at++] ?? 0);
    }
    if (at + length > bytes.length) return null;
    items.push({ tag, value: bytes.subarray(at, at + length) });
    at += length;
  }
  return items;
}
