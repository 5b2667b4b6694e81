import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TokenFileError } from '../../src-main/tokens/token-file-error';
import type { TokenFileErrorCode } from '../../src-main/tokens/token-file-error';
import { detectTokenFileFormat, parseTokenFile } from '../../src-main/tokens/token-file';
import { parseVendorCsv } from '../../src-main/tokens/vendor-csv';

const RFC_4226_SEED = Buffer.from('12345678901234567890');
const SEED_HEX = RFC_4226_SEED.toString('hex');
// RFC 4648 base32 of the RFC 4226 seed.
const SEED_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

function expectRefused(run: () => unknown, code: TokenFileErrorCode): TokenFileError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(TokenFileError);
  const error = caught as TokenFileError;
  expect(error.code).toBe(code);
  expect(error.message).not.toContain(SEED_HEX);
  expect(error.message).not.toContain(SEED_BASE32);
  return error;
}

describe('vendor CSV', () => {
  it('reads semicolon rows with hex and base32 secrets, HOTP and TOTP', () => {
    const csv = [
      'serial;secret;type;digits;interval',
      `KS000001;${SEED_HEX};hotp;6;`,
      `KS000002;${SEED_BASE32.toLowerCase()};TOTP;8;60`,
      `KS000003;${SEED_BASE32}======;totp;;`,
    ].join('\n');
    expect(parseVendorCsv(csv)).toEqual([
      { serial: 'KS000001', kind: 'hotp', algorithm: 'SHA1', digits: 6, counter: 0n, secret: Uint8Array.from(RFC_4226_SEED) },
      { serial: 'KS000002', kind: 'totp', algorithm: 'SHA1', digits: 8, periodSeconds: 60, t0: 0, driftSteps: 0, secret: Uint8Array.from(RFC_4226_SEED) },
      { serial: 'KS000003', kind: 'totp', algorithm: 'SHA1', digits: 6, periodSeconds: 30, t0: 0, driftSteps: 0, secret: Uint8Array.from(RFC_4226_SEED) },
    ]);
  });

  it('reads comma rows with quotes, CRLF, a byte-order mark, Swedish headers in another order', () => {
    const csv = `\uFEFFTyp,Serienummer,Hemlighet,Siffror\r\n"hotp","KS 7, lager",${SEED_HEX.toUpperCase()},"8"\r\n\r\n`;
    const { format, tokens } = parseTokenFile(Buffer.from(csv, 'utf8'));
    expect(format).toBe('vendor-csv');
    expect(tokens).toMatchObject([{ serial: 'KS 7, lager', kind: 'hotp', digits: 8 }]);
  });

  it('refuses a repeated serial on the line where it repeats', () => {
    const csv = `serial;secret;type\nA1;${SEED_HEX};hotp\nA2;${SEED_HEX};hotp\nA1;${SEED_HEX};totp`;
    const error = expectRefused(() => parseVendorCsv(csv), 'duplicate-serial');
    expect(error).toMatchObject({ line: 4, serial: 'A1' });
  });

  it('refuses unknown types, bad digits, bad intervals and damaged secrets with their line', () => {
    const row = (fields: string): string => `serial;secret;type;digits;interval\nA1;${SEED_HEX};hotp;6;\n${fields}`;
    expect(expectRefused(() => parseVendorCsv(row(`A2;${SEED_HEX};ocra;6;`)), 'unknown-algorithm').line).toBe(3);
    expectRefused(() => parseVendorCsv(row(`A2;${SEED_HEX};hotp;4;`)), 'bad-digits');
    expectRefused(() => parseVendorCsv(row(`A2;${SEED_HEX};totp;6;0`)), 'bad-time-parameters');
    expectRefused(() => parseVendorCsv(row(`A2;${SEED_HEX};totp;6;30s`)), 'bad-time-parameters');
    expectRefused(() => parseVendorCsv(row('A2;GEZDGNBVGY3TQOJ1;hotp;6;')), 'bad-encoding');
    expectRefused(() => parseVendorCsv(row('A2;ABC;hotp;6;')), 'bad-encoding');
    expectRefused(() => parseVendorCsv(row('A2;;hotp;6;')), 'missing-secret');
    expectRefused(() => parseVendorCsv(row(`;${SEED_HEX};hotp;6;`)), 'missing-serial');
    expectRefused(() => parseVendorCsv(row(`${'S'.repeat(65)};${SEED_HEX};hotp;6;`)), 'bad-serial');
    expectRefused(() => parseVendorCsv(row(`A2;${'00'.repeat(65)};hotp;6;`)), 'bad-secret-length');
  });

  it('refuses files whose header or columns do not fit', () => {
    expectRefused(() => parseVendorCsv(`serial;secret;type\nA1;${SEED_HEX}`), 'malformed-csv');
    expectRefused(() => parseVendorCsv(`serial;secret;type\nA1;"${SEED_HEX};hotp`), 'malformed-csv');
    expectRefused(() => parseVendorCsv(`serial;secret\nA1;${SEED_HEX}`), 'malformed-csv');
    expectRefused(() => parseVendorCsv(`serial;secret;type;counter\nA1;${SEED_HEX};hotp;5`), 'malformed-csv');
    expectRefused(() => parseVendorCsv(`serial;secret;type;serial\nA1;${SEED_HEX};hotp;A1`), 'malformed-csv');
    expectRefused(() => parseVendorCsv('serial;secret;type\n\n'), 'no-tokens');
  });
});

describe('token file detection', () => {
  it('tells PSKC, vendor CSV and anything else apart', () => {
    const pskc = readFileSync(new URL('./fixtures/pskc/rfc6030-figure3-supplementary.xml', import.meta.url), 'utf8');
    expect(detectTokenFileFormat(pskc)).toBe('pskc');
    expect(detectTokenFileFormat(`\n\nserial,secret,type\n`)).toBe('vendor-csv');
    expect(detectTokenFileFormat('name;email\nA;b')).toBeUndefined();
    expect(parseTokenFile(pskc)).toMatchObject({ format: 'pskc', tokens: [{ serial: '987654321' }] });
    expectRefused(() => parseTokenFile('name;email\nA;b'), 'unknown-format');
  });
});
