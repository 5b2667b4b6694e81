import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePskc } from '../../src-main/tokens/pskc';
import type { PskcDecryption } from '../../src-main/tokens/pskc';
import { TokenFileError } from '../../src-main/tokens/token-file-error';
import type { TokenFileErrorCode } from '../../src-main/tokens/token-file-error';
import { MAX_TOKEN_FILE_BYTES, parseTokenFile } from '../../src-main/tokens/token-file';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/pskc/${name}`, import.meta.url), 'utf8');

const RFC_PRE_SHARED_KEY = Buffer.from('12345678901234567890123456789012', 'hex');
const plainFile = fixture('rfc6030-figure3-supplementary.xml');
const pskFile = fixture('rfc6030-psk-aes128-cbc.xml');
const withRfcKey: PskcDecryption = { preSharedKey: RFC_PRE_SHARED_KEY };

// Every way a secret could leak into a message: the seed in ASCII, base64 and hex, the key and the password.
const SECRET_SPELLINGS = [
  '12345678901234567890',
  'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA',
  '3132333435363738393031323334353637383930',
  '12345678901234567890123456789012',
  'qwerty',
];

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
  for (const secret of SECRET_SPELLINGS) expect(error.message).not.toContain(secret);
  return error;
}

/** The Figure 3 file with a second device 987654322, so errors can be seen to point at the right key. */
function twoPackages(): string {
  const start = plainFile.indexOf('<KeyPackage>');
  const end = plainFile.indexOf('</KeyPackage>') + '</KeyPackage>'.length;
  const keyPackage = plainFile.slice(start, end);
  return `${plainFile.slice(0, end)}\n    ${keyPackage.replace('987654321', '987654322')}${plainFile.slice(end)}`;
}

describe('PSKC files that must be refused whole', () => {
  it('refuses a changed ValueMAC and a changed ciphertext as bad MAC', () => {
    expectRefused(() => parsePskc(pskFile.replace('Su+NvtQfmvfJzF6bmQiJqoLRExc=', 'Tu+NvtQfmvfJzF6bmQiJqoLRExc='), withRfcKey), 'bad-mac');
    const tampered = pskFile.replace('AAECAwQFBgcICQoLDA0OD+cIHItl', 'AAECAwQFBgcICQoLDA0OD+cIHItm');
    expectRefused(() => parsePskc(tampered, withRfcKey), 'bad-mac');
  });

  it('refuses a ValueMAC cut short, even when what is left matches the start of the real MAC', () => {
    const fullMac = Buffer.from('Su+NvtQfmvfJzF6bmQiJqoLRExc=', 'base64');
    for (const kept of [19, 10, 1]) {
      const shortened = pskFile.replace('Su+NvtQfmvfJzF6bmQiJqoLRExc=', fullMac.subarray(0, kept).toString('base64'));
      expectRefused(() => parsePskc(shortened, withRfcKey), 'bad-mac');
    }
  });

  it('refuses an encrypted secret without a ValueMAC or without a MACMethod', () => {
    expectRefused(() => parsePskc(pskFile.replace(/<ValueMAC>.*?<\/ValueMAC>/s, ''), withRfcKey), 'missing-mac');
    expectRefused(() => parsePskc(pskFile.replace(/<MACMethod.*<\/MACMethod>/s, ''), withRfcKey), 'missing-mac');
  });

  it('refuses the whole file when only the second key repeats a serial, pointing at that key', () => {
    expect(parsePskc(twoPackages())).toHaveLength(2);
    const xml = twoPackages().replace('987654322', '987654321');
    const error = expectRefused(() => parsePskc(xml), 'duplicate-serial');
    const keyLines = xml.split('\n').flatMap((line, index) => (line.includes('<Key Id') ? [index + 1] : []));
    expect(keyLines).toHaveLength(2);
    expect(error.line).toBe(keyLines[1]);
  });

  it('refuses unknown OTP algorithms and hash suites', () => {
    expectRefused(() => parsePskc(plainFile.replace('keyprov:pskc:hotp', 'keyprov:pskc:ocra')), 'unknown-algorithm');
    expectRefused(() => parsePskc(plainFile.replace(/Algorithm="[^"]*"/, '')), 'unknown-algorithm');
    const md5Suite = plainFile.replace('<AlgorithmParameters>', '<AlgorithmParameters><Suite>HMAC-MD5</Suite>');
    expectRefused(() => parsePskc(md5Suite), 'unknown-algorithm');
  });

  it('refuses keys without a secret, with an empty secret or without a Key element', () => {
    expectRefused(() => parsePskc(plainFile.replace(/<Secret>.*?<\/Secret>/s, '')), 'missing-secret');
    expectRefused(() => parsePskc(plainFile.replace(/<Secret>.*?<\/Secret>/s, '<Secret/>')), 'missing-secret');
    expectRefused(() => parsePskc(plainFile.replace(/<PlainValue>MTIz.*?<\/PlainValue>/s, '<PlainValue></PlainValue>')), 'missing-secret');
    expectRefused(() => parsePskc(plainFile.replace(/<Key .*<\/Key>/s, '')), 'missing-secret');
  });

  it('refuses a secret that is not base64 or longer than 64 bytes', () => {
    expectRefused(() => parsePskc(plainFile.replace('MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=', 'MTIzNDU2Nzg5MDEy*zQ1Njc4OTA=')), 'bad-encoding');
    const tooLong = Buffer.alloc(65, 1).toString('base64');
    expectRefused(() => parsePskc(plainFile.replace('MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=', tooLong)), 'bad-secret-length');
  });

  it('refuses any DOCTYPE: billion laughs, an external file:///etc/passwd entity, or one hidden mid-file', () => {
    expectRefused(() => parsePskc(fixture('billion-laughs.xml')), 'doctype-forbidden');
    expectRefused(() => parsePskc(fixture('external-entity.xml')), 'doctype-forbidden');
    const midFile = plainFile.replace('<KeyPackage>', '<!doctype x SYSTEM "file:///etc/passwd"><KeyPackage>');
    expectRefused(() => parsePskc(midFile), 'doctype-forbidden');
    expectRefused(() => parseTokenFile(fixture('external-entity.xml')), 'doctype-forbidden');
  });

  it('refuses counters beyond 2^64−1, negative or not whole', () => {
    for (const counter of ['18446744073709551616', '-1', '1.5', '0x10', '']) {
      const xml = plainFile.replace('<PlainValue>0</PlainValue>', `<PlainValue>${counter}</PlainValue>`);
      expectRefused(() => parsePskc(xml), 'counter-out-of-range');
    }
  });

  it('refuses response formats other than 6–9 decimal digits', () => {
    for (const format of ['Length="5"', 'Length="10"', 'Length="eight"', 'Length="8" Encoding="HEXADECIMAL"']) {
      const xml = plainFile.replace('Length="8" Encoding="DECIMAL"', format);
      expectRefused(() => parsePskc(xml), 'bad-digits');
    }
  });

  it('refuses impossible TOTP time parameters', () => {
    const totp = fixture('totp-sha256.xml');
    for (const [element, value] of [['TimeInterval', '0'], ['TimeInterval', '86400'], ['Time', '-5'], ['TimeDrift', '99999999']]) {
      const xml = totp.replace(new RegExp(`(<pskc:${element}><pskc:PlainValue>)[^<]*`), `$1${value}`);
      expectRefused(() => parsePskc(xml), 'bad-time-parameters');
    }
  });

  it('refuses truncated files, wherever they are cut', () => {
    const cuts = [plainFile.length / 2, plainFile.lastIndexOf('</KeyContainer>') + 5, plainFile.lastIndexOf('>')];
    for (const cut of cuts) expectRefused(() => parsePskc(plainFile.slice(0, Math.floor(cut))), 'truncated');
    expectRefused(() => parsePskc(pskFile.slice(0, 1200), withRfcKey), 'truncated');
  });

  it('refuses empty files, non-XML, non-UTF-8 and files that are XML but not PSKC', () => {
    expectRefused(() => parsePskc(''), 'empty-file');
    expectRefused(() => parseTokenFile(' \n\t'), 'empty-file');
    expectRefused(() => parseTokenFile(new Uint8Array()), 'empty-file');
    expectRefused(() => parsePskc('hello, world'), 'malformed-xml');
    expectRefused(() => parseTokenFile('hello, world'), 'unknown-format');
    expectRefused(() => parseTokenFile(Uint8Array.from([0x3c, 0x61, 0xff, 0xfe, 0x3e])), 'not-utf8');
    expectRefused(() => parsePskc('<html><body>PSKC</body></html>'), 'not-pskc');
    expectRefused(() => parsePskc(`${plainFile}<KeyContainer/>`), 'malformed-xml');
    expectRefused(() => parsePskc('<KeyContainer><KeyPackage></KeyContainer>'), 'malformed-xml');
  });

  it('refuses a container without keys and a repeated element where PSKC allows one', () => {
    expectRefused(() => parsePskc('<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc"/>'), 'no-tokens');
    const twoSecrets = plainFile.replace(/(<Secret>.*?<\/Secret>)/s, '$1$1');
    expectRefused(() => parsePskc(twoSecrets), 'malformed-xml');
  });

  it('refuses PBKDF2 parameters that would stall the import or that it cannot use', () => {
    const pbkdf2 = fixture('rfc6030-pbkdf2.xml');
    const endless = pbkdf2.replace('<IterationCount>1000', '<IterationCount>999999999');
    expectRefused(() => parsePskc(endless, { password: 'qwerty' }), 'unsupported-encryption');
    const sha384 = pbkdf2.replace('<PRF/>', '<PRF Algorithm="http://example.com/unknown-prf"/>');
    expectRefused(() => parsePskc(sha384, { password: 'qwerty' }), 'unsupported-encryption');
    expectRefused(() => parsePskc(pbkdf2.replace(/<Salt>.*?<\/Salt>/s, ''), { password: 'qwerty' }), 'unsupported-encryption');
    const brokenParameters = [
      ['<IterationCount>1000</IterationCount>', ''],
      ['<IterationCount>1000', '<IterationCount>0'],
      ['<KeyLength>16', '<KeyLength>5'],
      // whole bytes of a block cipher's multiple, but shorter than any AES key: no password can open it
      ['<KeyLength>16', '<KeyLength>8'],
    ];
    for (const [from, to] of brokenParameters) {
      expectRefused(() => parsePskc(pbkdf2.replace(from!, to!), { password: 'qwerty' }), 'unsupported-encryption');
    }
  });

  it('refuses ciphers it does not implement', () => {
    expectRefused(() => parsePskc(pskFile.replaceAll('xmlenc#aes128-cbc', 'xmlenc#tripledes-cbc'), withRfcKey), 'unsupported-encryption');
  });

  it('refuses files beyond the size limit before reading them', () => {
    expectRefused(() => parseTokenFile(new Uint8Array(MAX_TOKEN_FILE_BYTES + 1)), 'file-too-large');
  });

  it('keeps file-supplied identifiers short and printable in messages', () => {
    const longId = `${'A'.repeat(500)}\u0007`;
    const xml = plainFile.replace('keyprov:pskc:hotp', 'keyprov:pskc:ocra').replace('Id="12345678"', `Id="${longId}"`);
    const error = expectRefused(() => parsePskc(xml), 'unknown-algorithm');
    expect(error.keyId?.length).toBeLessThanOrEqual(65);
    expect(error.message).not.toContain('\u0007');
  });
});
