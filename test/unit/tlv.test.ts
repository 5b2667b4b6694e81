import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardError } from '../../src-main/card/apdu';
import { childrenOf, decodeBitString, decodeInteger, findDeep, parseTlvs, readTlv } from '../../src-main/card/tlv';
import { bitString, hex, integer, sequence, tlv } from '../sim/der';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

const bytes = (text: string): Uint8Array => hex(text);

describe('BER-TLV reader', () => {
  it('reads multi-byte tags and long-form lengths', () => {
    const value = new Uint8Array(300).fill(7);
    const { tlv: item, next } = readTlv(tlv(0x5fc105, value));
    expect(item.tag).toBe(0x5fc105);
    expect(item.value).toEqual(value);
    expect(next).toBe(3 + 3 + 300);
  });

  it('walks constructed values and stops at 00/FF fill', () => {
    const items = parseTlvs(Uint8Array.from([...sequence(integer(5), tlv(0x80, bytes('0081'))), 0xff, 0xff, 0x00]));
    expect(items).toHaveLength(1);
    const [first, second] = childrenOf(items[0]!);
    expect(decodeInteger(first!.value)).toBe(5);
    expect(decodeInteger(second!.value)).toBe(0x81);
  });

  it('decodes negative integers as two’s complement', () => {
    expect(decodeInteger(bytes('81'))).toBe(-127);
    expect(decodeInteger(bytes('ff'))).toBe(-1);
  });

  it('reads bit strings with the first bit as bit 0', () => {
    expect([...decodeBitString(bitString([1, 4, 5, 6]).subarray(2))]).toEqual([1, 4, 5, 6]);
    expect(decodeBitString(bytes('00')).size).toBe(0);
  });

  it.each([
    ['value past the end', '30 05 02 01'],
    ['indefinite length', '30 80 00 00'],
    ['truncated length', '30 82 01'],
    ['truncated tag', '5f'],
    ['too long a length', '30 84 00 00 00 01 00'],
  ])('rejects %s as corrupt card data', (_, text) => {
    expect(() => parseTlvs(bytes(text))).toThrow(CardError);
    try {
      parseTlvs(bytes(text));
    } catch (error) {
      expect((error as CardError).code).toBe('card-data-corrupt');
    }
  });

  it('refuses a bit string without its unused-bits byte, with more than 7 unused bits, or with unused bits and no content', () => {
    for (const text of ['', '08 ff', 'ff 00', '03']) {
      expect(() => decodeBitString(bytes(text)), text).toThrow(expect.objectContaining({ code: 'card-data-corrupt' }));
    }
    expect([...decodeBitString(bytes('07 80'))]).toEqual([0]);
  });

  it('takes tags of up to 4 bytes and lengths of up to 3 bytes, and refuses longer ones', () => {
    expect(readTlv(bytes('7f 81 82 03 01 aa')).tlv).toMatchObject({ tag: 0x7f818203, value: bytes('aa') });
    expect(() => readTlv(bytes('7f 81 82 83 04 01 aa'))).toThrow(expect.objectContaining({ code: 'card-data-corrupt' }));
    expect(readTlv(bytes('04 83 00 00 01 aa')).tlv.value).toEqual(bytes('aa'));
    expect(() => readTlv(bytes('04 84 00 00 00 01 aa'))).toThrow(expect.objectContaining({ code: 'card-data-corrupt' }));
  });

  it('rejects a primitive value searched as constructed and bounds hostile nesting', () => {
    expect(() => childrenOf({ tag: 0x04, constructed: false, value: new Uint8Array(0) })).toThrow(CardError);
    let nested = integer(1);
    for (let i = 0; i < 40; i++) nested = sequence(nested);
    expect(() => findDeep(parseTlvs(nested), 0x99)).toThrow(CardError);
  });

  it('never throws anything but a CardError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (input) => {
        try {
          for (const item of parseTlvs(input)) if (item.constructed) findDeep([item], 0x04);
        } catch (error) {
          expect(error).toBeInstanceOf(CardError);
        }
      }),
      { numRuns: 2000 },
    );
  }, PROPERTY_BUDGET_MS);
});
