// Writes PSKC files the way token vendors do (plain, pre-shared key or PBKDF2), for round-trip tests and the import benchmark.
import { createCipheriv, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { ParsedToken } from '../../src-main/tokens/parsed-token';

export type PskcEncryption = 'none' | 'psk' | 'pbkdf2';

export interface PskcBuildOptions {
  readonly encryption: PskcEncryption;
  /** Pre-shared key for 'psk': 16, 24 or 32 bytes choose AES-128/192/256-CBC. */
  readonly key?: Uint8Array;
  /** Password for 'pbkdf2'. */
  readonly password?: string;
  readonly pbkdf2Iterations?: number;
}

export interface PskcGeneratorOptions extends PskcBuildOptions {
  readonly count: number;
  readonly kind: 'hotp' | 'totp';
  readonly serialPrefix?: string;
}

export const GENERATOR_PRE_SHARED_KEY = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
export const GENERATOR_PASSWORD = 'kortstation-test';

const XMLENC = 'http://www.w3.org/2001/04/xmlenc#';
const cipherBits: Record<number, string> = { 16: '128', 24: '192', 32: '256' };

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

interface ContainerCrypto {
  readonly header: string;
  readonly encryptionKey: Buffer;
  readonly macKey: Buffer;
  readonly cipherUri: string;
}

function encryptCbc(key: Buffer, plaintext: Uint8Array): Buffer {
  const iv = randomBytes(16);
  const cipher = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final()]);
}

function containerCrypto(options: PskcBuildOptions): ContainerCrypto | undefined {
  if (options.encryption === 'none') return undefined;
  let encryptionKey: Buffer;
  let keyElement: string;
  if (options.encryption === 'psk') {
    encryptionKey = Buffer.from(options.key ?? GENERATOR_PRE_SHARED_KEY);
    keyElement = '<ds:KeyName>Pre-shared-key</ds:KeyName>';
  } else {
    const salt = randomBytes(8);
    const iterations = options.pbkdf2Iterations ?? 1000;
    encryptionKey = pbkdf2Sync(options.password ?? GENERATOR_PASSWORD, salt, iterations, 16, 'sha1');
    keyElement = [
      '<xenc11:DerivedKey><xenc11:KeyDerivationMethod',
      ' Algorithm="http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2"><pkcs5:PBKDF2-params>',
      `<Salt><Specified>${salt.toString('base64')}</Specified></Salt>`,
      `<IterationCount>${iterations}</IterationCount><KeyLength>16</KeyLength><PRF/>`,
      '</pkcs5:PBKDF2-params></xenc11:KeyDerivationMethod></xenc11:DerivedKey>',
    ].join('');
  }
  const bits = cipherBits[encryptionKey.length];
  if (!bits) throw new RangeError('the pre-shared key must be 16, 24 or 32 bytes');
  const cipherUri = `${XMLENC}aes${bits}-cbc`;
  const macKey = randomBytes(20);
  const header = [
    `  <EncryptionKey>${keyElement}</EncryptionKey>`,
    '  <MACMethod Algorithm="http://www.w3.org/2000/09/xmldsig#hmac-sha1"><MACKey>',
    `    <xenc:EncryptionMethod Algorithm="${cipherUri}"/>`,
    `    <xenc:CipherData><xenc:CipherValue>${encryptCbc(encryptionKey, macKey).toString('base64')}</xenc:CipherValue></xenc:CipherData>`,
    '  </MACKey></MACMethod>',
  ].join('\n');
  return { header, encryptionKey, macKey, cipherUri };
}

function secretElement(secret: Uint8Array, crypto: ContainerCrypto | undefined): string {
  if (!crypto) return `<Secret><PlainValue>${Buffer.from(secret).toString('base64')}</PlainValue></Secret>`;
  const ivAndCiphertext = encryptCbc(crypto.encryptionKey, secret);
  const mac = createHmac('sha1', crypto.macKey).update(ivAndCiphertext).digest('base64');
  return [
    `<Secret><EncryptedValue><xenc:EncryptionMethod Algorithm="${crypto.cipherUri}"/>`,
    `<xenc:CipherData><xenc:CipherValue>${ivAndCiphertext.toString('base64')}</xenc:CipherValue></xenc:CipherData>`,
    `</EncryptedValue><ValueMAC>${mac}</ValueMAC></Secret>`,
  ].join('');
}

function keyPackage(token: ParsedToken, index: number, crypto: ContainerCrypto | undefined): string {
  const manufacturer = token.manufacturer === undefined ? '' : `<Manufacturer>${escapeXml(token.manufacturer)}</Manufacturer>`;
  const suite = token.algorithm === 'SHA1' ? '' : `<Suite>HMAC-${token.algorithm}</Suite>`;
  const counters =
    token.kind === 'hotp'
      ? `<Counter><PlainValue>${token.counter}</PlainValue></Counter>`
      : [
          `<Time><PlainValue>${token.t0}</PlainValue></Time>`,
          `<TimeInterval><PlainValue>${token.periodSeconds}</PlainValue></TimeInterval>`,
          `<TimeDrift><PlainValue>${token.driftSteps}</PlainValue></TimeDrift>`,
        ].join('');
  return [
    '  <KeyPackage>',
    `    <DeviceInfo>${manufacturer}<SerialNo>${escapeXml(token.serial)}</SerialNo></DeviceInfo>`,
    `    <Key Id="k${index}" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:${token.kind}">`,
    `      <AlgorithmParameters>${suite}<ResponseFormat Length="${token.digits}" Encoding="DECIMAL"/></AlgorithmParameters>`,
    `      <Data>${secretElement(token.secret, crypto)}${counters}</Data>`,
    '    </Key>',
    '  </KeyPackage>',
  ].join('\n');
}

/** Writes exactly these tokens into one PSKC document. */
export function buildPskc(tokens: readonly ParsedToken[], options: PskcBuildOptions): string {
  const crypto = containerCrypto(options);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc"',
    '    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"',
    '    xmlns:xenc11="http://www.w3.org/2009/xmlenc11#"',
    '    xmlns:pkcs5="http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#">',
    ...(crypto ? [crypto.header] : []),
    ...tokens.map((token, index) => keyPackage(token, index, crypto)),
    '</KeyContainer>',
    '',
  ].join('\n');
}

/** `count` tokens with serials prefix000001… and seeds derived from the index, so runs are comparable. */
export function generatePskcTokens(options: Pick<PskcGeneratorOptions, 'count' | 'kind' | 'serialPrefix'>): ParsedToken[] {
  const prefix = options.serialPrefix ?? 'KS';
  return Array.from({ length: options.count }, (_, index): ParsedToken => {
    const serial = `${prefix}${String(index + 1).padStart(6, '0')}`;
    const secret = Uint8Array.from(createHmac('sha1', 'kortstation-generator').update(serial).digest());
    const common = { serial, manufacturer: 'Kortstation Sim', algorithm: 'SHA1' as const, digits: 6, secret };
    return options.kind === 'hotp'
      ? { ...common, kind: 'hotp', counter: 0n }
      : { ...common, kind: 'totp', periodSeconds: 30, t0: 0, driftSteps: 0 };
  });
}

export function generatePskc(options: PskcGeneratorOptions): string {
  return buildPskc(generatePskcTokens(options), options);
}
