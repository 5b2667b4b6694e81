import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardError, toHex } from '../../src-main/card/apdu';
import { certificateFromObject, serialFromChuid } from '../../src-main/card/profiles/piv';
import { parseAodf, parseCdf, parseDir, parseOdf, parsePrkdf, parseTokenInfoSerial } from '../../src-main/card/profiles/pkcs15-asn1';
import { bitString, concat, enumerated, hex, integer, octets, sequence, tlv, utf8 } from '../sim/der';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

describe('PKCS#15 decoders', () => {
  it('EF.DIR records with AID, label and path', () => {
    const dir = concat(tlv(0x61, tlv(0x4f, hex('a000000063504b43532d3135')), tlv(0x51, hex('3f004400'))), hex('ffff'));
    expect(parseDir(dir).map((app) => [toHex(app.aid!), app.label, toHex(app.path!)])).toEqual([['a000000063504b43532d3135', null, '3f004400']]);
  });

  it('ODF: key, certificate (incl. trusted and useful) and auth object directories', () => {
    const odf = concat(
      tlv(0xa0, sequence(octets(hex('3f0044004401')))),
      tlv(0xa4, sequence(octets(hex('4402')))),
      tlv(0xa5, sequence(octets(hex('4403')))),
      tlv(0xa8, sequence(octets(hex('4404')), integer(0), tlv(0x80, hex('20')))),
      tlv(0xa7, sequence(octets(hex('4405')))),
    );
    const parsed = parseOdf(odf);
    expect(parsed.privateKeys.map((p) => toHex(p.path))).toEqual(['3f0044004401']);
    expect(parsed.certificates.map((p) => toHex(p.path))).toEqual(['4402', '4403']);
    expect(parsed.authObjects).toEqual([{ path: hex('4404'), offset: 0, length: 32 }]);
  });

  it('TokenInfo serial as hex', () => {
    expect(parseTokenInfoSerial(sequence(integer(0), octets(hex('1234abcd')), bitString([])))).toBe('1234abcd');
    expect(() => parseTokenInfoSerial(octets(hex('00')))).toThrow(CardError);
  });

  it('CDF entries by path with offset and length, or with the certificate inside', () => {
    const byPath = sequence(sequence(utf8('Auth')), sequence(octets(hex('45'))), tlv(0xa1, sequence(sequence(octets(hex('3f0050154301')), integer(16), tlv(0x80, hex('0200'))))));
    const direct = sequence(sequence(), sequence(octets(hex('46'))), tlv(0xa1, sequence(tlv(0xa0, hex('3003020101')))));
    const [first, second] = parseCdf(concat(byPath, direct, tlv(0xa1, hex('00'))));
    expect(first).toMatchObject({ label: 'Auth', location: { kind: 'path', at: { offset: 16, length: 512 } } });
    expect(second?.location).toEqual({ kind: 'direct', der: hex('3003020101') });
  });

  it('PrKDF usage and authId, AODF PIN attributes as OpenSC lists them', () => {
    const key = tlv(0xa0, sequence(utf8('Sign'), bitString([0]), octets(hex('02'))), sequence(octets(hex('46')), bitString([9])), tlv(0xa1, sequence(sequence(octets(hex('8002'))))));
    expect(parsePrkdf(key)).toEqual([{ id: hex('46'), authId: hex('02'), usage: new Set([9]), keyReference: null, path: hex('8002') }]);
    const rsaKey = sequence(sequence(utf8('Auth'), bitString([0]), octets(hex('01'))), sequence(octets(hex('45')), bitString([2]), integer(0x11)), tlv(0xa1, sequence(sequence(octets(hex('3f0051008001'))), integer(2048))));
    expect(parsePrkdf(rsaKey)).toEqual([{ id: hex('45'), authId: hex('01'), usage: new Set([2]), keyReference: 0x11, path: hex('3f0051008001') }]);
    const pin = sequence(
      sequence(utf8('PIN'), octets(hex('03'))),
      sequence(octets(hex('02'))),
      tlv(0xa1, sequence(bitString([1, 4, 5]), enumerated(1), integer(6), integer(8), integer(8), tlv(0x80, hex('82')), octets(hex('ff')), sequence(octets(hex('3f005015'))))),
    );
    expect(parseAodf(pin)).toEqual([
      expect.objectContaining({ authId: hex('02'), unblockedBy: hex('03'), reference: 0x82, minLength: 6, maxLength: 8, storedLength: 8, padChar: 0xff, needsPadding: true, unblockingPin: false }),
    ]);
  });

  it('PIV containers: plain certificate, CHUID GUID or FASC-N', () => {
    expect(certificateFromObject(tlv(0x53, tlv(0x70, hex('3003020101ffff')), tlv(0x71, hex('00'))))).toEqual(hex('3003020101'));
    expect(serialFromChuid(tlv(0x53, tlv(0x30, hex('d4e739')), tlv(0x34, new Uint8Array(16))))).toBe('d4e739');
    expect(() => certificateFromObject(tlv(0x53, tlv(0x70, hex('1f8b0800')), tlv(0x71, hex('01'))))).toThrow(CardError);
  });

  it.each([
    ['EF.DIR', parseDir],
    ['ODF', parseOdf],
    ['TokenInfo', parseTokenInfoSerial],
    ['CDF', parseCdf],
    ['PrKDF', parsePrkdf],
    ['AODF', parseAodf],
    ['PIV certificate', certificateFromObject],
    ['CHUID', serialFromChuid],
  ] as const)('%s: garbage is a CardError, never a crash', (_, parse) => {
    const structured = fc.oneof(
      fc.uint8Array({ maxLength: 120 }),
      fc.array(fc.tuple(fc.constantFrom(0x30, 0x04, 0x02, 0x03, 0x0a, 0x80, 0xa0, 0xa1, 0xa4, 0xa8, 0x61, 0x53, 0x70, 0x71), fc.uint8Array({ maxLength: 30 })), { maxLength: 5 }).map((items) =>
        concat(...items.map(([tag, value]) => tlv(tag, value))),
      ),
    );
    fc.assert(
      fc.property(structured, (input) => {
        try {
          parse(input);
        } catch (error) {
          expect(error).toBeInstanceOf(CardError);
        }
      }),
      { numRuns: 1500 },
    );
  }, PROPERTY_BUDGET_MS);
});
