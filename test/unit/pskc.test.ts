import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyHotp, verifyTotp } from '../../src-main/tokens/otp';
import { parsePskc } from '../../src-main/tokens/pskc';
import { TokenFileError } from '../../src-main/tokens/token-file-error';
import type { TokenFileErrorCode } from '../../src-main/tokens/token-file-error';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/pskc/${name}`, import.meta.url), 'utf8');

const RFC_PRE_SHARED_KEY = Buffer.from('12345678901234567890123456789012', 'hex');
const RFC_4226_SEED = '12345678901234567890';
/** RFC 4226 §5.3 written out with node:crypto, independent of otplib. */
function referenceHotp(secret: Uint8Array, counter: bigint, hash: string, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const digest = createHmac(hash, secret).update(message).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const value = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 10 ** digits).padStart(digits, '0');
}

const ascii = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

function refusal(run: () => unknown): TokenFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof TokenFileError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

function expectRefused(run: () => unknown, code: TokenFileErrorCode): TokenFileError {
  const error = refusal(run);
  expect(error.code).toBe(code);
  return error;
}

describe('RFC 6030 examples', () => {
  it('imports Figure 2 (plain secret, no device serial) with the key Id as serial and RFC defaults', () => {
    const [token, ...rest] = parsePskc(fixture('rfc6030-figure2-basic.xml'));
    expect(rest).toHaveLength(0);
    expect(token).toMatchObject({ serial: '12345678', kind: 'hotp', algorithm: 'SHA1', digits: 6, counter: 0n });
    expect(token?.manufacturer).toBeUndefined();
    expect(ascii(token!.secret)).toBe('1234');
  });

  it('imports Figure 3 with device serial, manufacturer, 8 digits and counter', () => {
    const tokens = parsePskc(fixture('rfc6030-figure3-supplementary.xml'));
    expect(tokens).toEqual([
      {
        serial: '987654321',
        manufacturer: 'Manufacturer',
        kind: 'hotp',
        algorithm: 'SHA1',
        digits: 8,
        counter: 0n,
        secret: Uint8Array.from(Buffer.from(RFC_4226_SEED)),
      },
    ]);
  });

  it('decrypts the §6.1 AES-128-CBC pre-shared-key example after checking its HMAC-SHA1 ValueMAC', () => {
    const [token] = parsePskc(fixture('rfc6030-psk-aes128-cbc.xml'), { preSharedKey: RFC_PRE_SHARED_KEY });
    expect(token).toMatchObject({ serial: '987654321', manufacturer: 'Manufacturer', digits: 8, counter: 0n });
    expect(ascii(token!.secret)).toBe(RFC_4226_SEED);
    // The decrypted seed is RFC 4226's: its 8-digit code at counter 0 is the tail of 1284755224.
    expect(token?.kind === 'hotp' && verifyHotp({ ...token, code: '84755224' })).toMatchObject({
      valid: true,
      nextCounter: 1n,
    });
  });

  it('decrypts the §6.2 PBKDF2 example with the password "qwerty"', () => {
    const [token] = parsePskc(fixture('rfc6030-pbkdf2.xml'), { password: 'qwerty' });
    expect(token).toMatchObject({ serial: '987654321', manufacturer: 'TokenVendorAcme', kind: 'hotp', digits: 8 });
    expect(ascii(token!.secret)).toBe(RFC_4226_SEED);
  });

  it('agrees with an independent node:crypto reading of the §6.1 example values', () => {
    // IV 00…0f and PKCS#7 padding under the pre-shared key give exactly the RFC's CipherValue.
    const iv = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
    const cipher = createCipheriv('aes-128-cbc', RFC_PRE_SHARED_KEY, iv);
    const ivAndCiphertext = Buffer.concat([iv, cipher.update(RFC_4226_SEED), cipher.final()]);
    expect(ivAndCiphertext.toString('base64')).toBe('AAECAwQFBgcICQoLDA0OD+cIHItlB3Wra1DUpxVvOx2lef1VmNPCMl8jwZqIUqGv');

    const macKeyBlob = Buffer.from('ESIzRFVmd4iZABEiM0RVZgKn6WjLaTC1sbeBMSvIhRejN9vJa2BOlSaMrR7I5wSX', 'base64');
    const decipher = createDecipheriv('aes-128-cbc', RFC_PRE_SHARED_KEY, macKeyBlob.subarray(0, 16));
    const macKey = Buffer.concat([decipher.update(macKeyBlob.subarray(16)), decipher.final()]);
    expect(createHmac('sha1', macKey).update(ivAndCiphertext).digest('base64')).toBe('Su+NvtQfmvfJzF6bmQiJqoLRExc=');
  });

  it('refuses Figure 8 (RSA key transport) as unsupported encryption', () => {
    expectRefused(() => parsePskc(fixture('rfc6030-figure8-asymmetric.xml')), 'unsupported-encryption');
  });

  it('refuses the Figure 10 bulk example because device 9999999 carries two seeds', () => {
    const error = expectRefused(() => parsePskc(fixture('rfc6030-figure10-bulk.xml')), 'duplicate-serial');
    expect(error.serial).toBe('9999999');
    expect(error.keyId).toBe('4');
    expect(error.line).toBe(fixture('rfc6030-figure10-bulk.xml').split('\n').findIndex((l) => l.includes('Key Id="4"')) + 1);
    // the message is the code and where, in no language; the screens word it (src-shared/i18n/token-files.ts)
    expect(error.message).toMatch(/^duplicate-serial .*9999999/);
  });
});

describe('PSKC token details', () => {
  it('reads a TOTP key: suite, digits, interval, T0, drift and an escaped manufacturer', () => {
    const [token] = parsePskc(fixture('totp-sha256.xml'));
    expect(token).toMatchObject({
      serial: '0755225266',
      manufacturer: 'Kortstation Test & Co',
      kind: 'totp',
      algorithm: 'SHA256',
      digits: 8,
      periodSeconds: 60,
      t0: 1000,
      driftSteps: -2,
    });
    // The imported parameters are the ones the verifier needs: ten steps after T0 our clock says step 10,
    // the token (two steps behind) shows step 8.
    const totp = token?.kind === 'totp' ? token : undefined;
    const code = referenceHotp(totp!.secret, 8n, 'sha256', 8);
    expect(verifyTotp({ ...totp!, code, nowSeconds: 1000 + 10 * 60 + 10 })).toEqual({
      valid: true,
      driftSteps: -2,
      timeStep: 8,
    });
  });

  it('defaults a TOTP key without time data to 30 s steps from the epoch', () => {
    const xml = fixture('totp-sha256.xml').replace(/<pskc:Time>.*<\/pskc:TimeDrift>/s, '');
    expect(parsePskc(xml)[0]).toMatchObject({ periodSeconds: 30, t0: 0, driftSteps: 0 });
  });

  it('accepts the largest 64-bit counter and the algorithm-profiles "#hotp" URI', () => {
    const xml = fixture('rfc6030-figure3-supplementary.xml')
      .replace('<PlainValue>0</PlainValue>', '<PlainValue>18446744073709551615</PlainValue>')
      .replace('keyprov:pskc:hotp', 'keyprov:pskc#hotp');
    expect(parsePskc(xml)[0]).toMatchObject({ kind: 'hotp', counter: 2n ** 64n - 1n });
  });

  it('reads an encrypted counter as big-endian bytes under the same key and MAC', () => {
    const source = fixture('rfc6030-psk-aes128-cbc.xml');
    const macKeyBlob = Buffer.from('ESIzRFVmd4iZABEiM0RVZgKn6WjLaTC1sbeBMSvIhRejN9vJa2BOlSaMrR7I5wSX', 'base64');
    const decipher = createDecipheriv('aes-128-cbc', RFC_PRE_SHARED_KEY, macKeyBlob.subarray(0, 16));
    const macKey = Buffer.concat([decipher.update(macKeyBlob.subarray(16)), decipher.final()]);
    const iv = Buffer.alloc(16, 7);
    const cipher = createCipheriv('aes-128-cbc', RFC_PRE_SHARED_KEY, iv);
    const blob = Buffer.concat([iv, cipher.update(Buffer.from('0000000000000102', 'hex')), cipher.final()]);
    const mac = createHmac('sha1', macKey).update(blob).digest('base64');
    const encryptedCounter = [
      '<Counter><EncryptedValue>',
      '<xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>',
      `<xenc:CipherData><xenc:CipherValue>${blob.toString('base64')}</xenc:CipherValue></xenc:CipherData>`,
      `</EncryptedValue><ValueMAC>${mac}</ValueMAC></Counter>`,
    ].join('');
    const xml = source.replace(/<Counter>.*?<\/Counter>/s, encryptedCounter);
    expect(parsePskc(xml, { preSharedKey: RFC_PRE_SHARED_KEY })[0]).toMatchObject({ counter: 258n });
  });

  it('uses the encryption key for the MAC when the file has no MACKey (pre-RFC drafts)', () => {
    const cipherValue = 'AAECAwQFBgcICQoLDA0OD+cIHItlB3Wra1DUpxVvOx2lef1VmNPCMl8jwZqIUqGv';
    const mac = createHmac('sha1', RFC_PRE_SHARED_KEY).update(Buffer.from(cipherValue, 'base64')).digest('base64');
    const xml = fixture('rfc6030-psk-aes128-cbc.xml')
      .replace(/<MACKey>.*<\/MACKey>/s, '')
      .replace(/<ValueMAC>.*?<\/ValueMAC>/s, `<ValueMAC>${mac}</ValueMAC>`);
    expect(ascii(parsePskc(xml, { preSharedKey: RFC_PRE_SHARED_KEY })[0]!.secret)).toBe(RFC_4226_SEED);
  });

  it('needs no key for a plain file even if the caller passes one', () => {
    expect(parsePskc(fixture('rfc6030-figure3-supplementary.xml'), { password: 'unused' })).toHaveLength(1);
  });
});

describe('PSKC keys and passwords', () => {
  it('says "wrong key" for a wrong pre-shared key and a wrong password', () => {
    const wrongKey = Buffer.from('12345678901234567890123456789013', 'hex');
    expectRefused(() => parsePskc(fixture('rfc6030-psk-aes128-cbc.xml'), { preSharedKey: wrongKey }), 'wrong-key');
    expectRefused(() => parsePskc(fixture('rfc6030-pbkdf2.xml'), { password: 'qwertz' }), 'wrong-key');
  });

  it('says "wrong key" for a key of the wrong length', () => {
    const shortKey = RFC_PRE_SHARED_KEY.subarray(0, 8);
    expectRefused(() => parsePskc(fixture('rfc6030-psk-aes128-cbc.xml'), { preSharedKey: shortKey }), 'wrong-key');
  });

  it('asks for the key when an encrypted file comes without one, or with the other kind', () => {
    expectRefused(() => parsePskc(fixture('rfc6030-psk-aes128-cbc.xml')), 'missing-key');
    expectRefused(() => parsePskc(fixture('rfc6030-pbkdf2.xml')), 'missing-key');
    expectRefused(() => parsePskc(fixture('rfc6030-pbkdf2.xml'), { preSharedKey: RFC_PRE_SHARED_KEY }), 'missing-key');
    expectRefused(() => parsePskc(fixture('rfc6030-psk-aes128-cbc.xml'), { password: 'qwerty' }), 'missing-key');
  });

  it('names the key and line of the refused key', () => {
    const error = expectRefused(() => parsePskc(fixture('rfc6030-pbkdf2.xml'), { password: 'x' }), 'wrong-key');
    expect(error.keyId).toBe('123456');
    expect(error.line).toBe(fixture('rfc6030-pbkdf2.xml').split('\n').findIndex((l) => l.includes('<pskc:Key ')) + 1);
    expect(error.message).toContain(`"line":${error.line}`);
  });
});
