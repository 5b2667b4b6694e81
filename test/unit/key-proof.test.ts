import { type KeyObject, createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApduChannel } from '../../src-main/card/apdu';
import { proveKey, signatureMatches, signatureRequestFor } from '../../src-main/card/key-proof';
import { probeCard } from '../../src-main/card/profiles/profile';
import type { CardApplet } from '../sim/applet';
import type { KeyAlgorithm } from '../sim/card-keys';
import { type Personality, SCENARIO_PINS, type ScenarioName, createScenario } from '../sim/scenarios';

const challenge = new Uint8Array(randomBytes(32));
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherEc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const truncated = (bytes: Uint8Array): Uint8Array => bytes.subarray(0, bytes.length - 1);

describe('signature check against the certificate key', () => {
  it('accepts RSA PKCS#1 v1.5 over SHA-256 by the key, refuses another key, a truncated signature and another challenge', () => {
    const signature = new Uint8Array(sign('sha256', challenge, rsa.privateKey));
    expect(signatureMatches(rsa.publicKey, challenge, signature)).toBe(true);
    expect(signatureMatches(otherRsa.publicKey, challenge, signature)).toBe(false);
    expect(signatureMatches(rsa.publicKey, challenge, truncated(signature))).toBe(false);
    expect(signatureMatches(rsa.publicKey, new Uint8Array(randomBytes(32)), signature)).toBe(false);
  });

  it.each(['der', 'ieee-p1363'] as const)('accepts ECDSA P-256 encoded %s by the key, refuses another key and a truncated signature', (dsaEncoding) => {
    const signature = new Uint8Array(sign('sha256', challenge, { key: ec.privateKey, dsaEncoding }));
    expect(signatureMatches(ec.publicKey, challenge, signature)).toBe(true);
    expect(signatureMatches(otherEc.publicKey, challenge, signature)).toBe(false);
    expect(signatureMatches(ec.publicKey, challenge, truncated(signature))).toBe(false);
    expect(signatureMatches(ec.publicKey, challenge, new Uint8Array(0))).toBe(false);
  });

  it('asks an RSA card for the SHA-256 DigestInfo of the challenge and an EC card for the digest', () => {
    const digest = createHash('sha256').update(challenge).digest();
    const rsaRequest = signatureRequestFor(rsa.publicKey, challenge);
    expect(rsaRequest).toMatchObject({ algorithm: 'rsa-pkcs1', modulusBytes: 256 });
    // RFC 8017 §9.2 note 1: the DER DigestInfo of SHA-256 is these 19 bytes and the digest
    expect(Buffer.from(rsaRequest?.algorithm === 'rsa-pkcs1' ? rsaRequest.digestInfo : []).toString('hex')).toBe(`3031300d060960864801650304020105000420${digest.toString('hex')}`);
    expect(signatureRequestFor(ec.publicKey, challenge)).toEqual({ algorithm: 'ecdsa', digest: new Uint8Array(digest), curve: 'P-256' });
    const ed = generateKeyPairSync('ed25519').publicKey as KeyObject;
    expect(signatureRequestFor(ed, challenge)).toBeNull();
  });
});

function wired(applet: CardApplet): { channel: ApduChannel; sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return { sent, channel: new ApduChannel(async (command) => (sent.push(command), applet.process(command))) };
}

async function cardWith(name: ScenarioName, personality: Personality, keyAlgorithm: KeyAlgorithm, pkcs15: { internalAuthenticateOnly?: boolean } = {}) {
  const scenario = await createScenario(name, personality, { keyAlgorithm, pkcs15 });
  const { channel, sent } = wired(scenario.applet);
  const profile = await probeCard(channel);
  if (!profile) throw new Error('no profile');
  const [authCertificate] = await profile.certificates();
  return { profile, channel, applet: scenario.applet, sent, authCertificate: authCertificate! };
}

describe.each([
  ['pkcs15', 'rsa-2048'],
  ['pkcs15', 'ec-p256'],
  ['piv', 'rsa-2048'],
  ['piv', 'ec-p256'],
] as const)('key proof on the virtual %s card with %s keys', (personality, keyAlgorithm) => {
  it('signs only after the PIN, and the signature matches the certificate', async () => {
    const { profile, authCertificate } = await cardWith('healthy', personality, keyAlgorithm);
    expect(await proveKey(profile, authCertificate)).toBe('pin-required');
    expect(await profile.verify('auth', SCENARIO_PINS.auth)).toEqual({ kind: 'ok' });
    expect(await proveKey(profile, authCertificate)).toBe('ok');
  });

  it('forgets the verified PIN on reset', async () => {
    const { profile, applet, authCertificate, channel } = await cardWith('healthy', personality, keyAlgorithm);
    await profile.verify('auth', SCENARIO_PINS.auth);
    applet.reset();
    const afterReset = await probeCard(channel);
    expect(await proveKey(afterReset!, authCertificate)).toBe('pin-required');
  });

  it('finds a copied certificate: the card signs, but not with the certificate key', async () => {
    const { profile, authCertificate } = await cardWith('copied-certificate', personality, keyAlgorithm);
    expect(await profile.verify('auth', SCENARIO_PINS.auth)).toEqual({ kind: 'ok' });
    expect(await proveKey(profile, authCertificate)).toBe('mismatch');
  });
});

describe('PKCS#15 signing commands', () => {
  it('names the key from the PrKDF in MSE:SET and signs with PSO:COMPUTE DIGITAL SIGNATURE', async () => {
    const { profile, sent, authCertificate } = await cardWith('healthy', 'pkcs15', 'rsa-2048');
    await profile.verify('auth', SCENARIO_PINS.auth);
    const before = sent.length;
    expect(await proveKey(profile, authCertificate)).toBe('ok');
    const headers = sent.slice(before).map((command) => Buffer.from(command.subarray(0, 4)).toString('hex'));
    expect(headers).toContain('002241b6');
    expect(headers).toContain('002a9e9a');
  });

  it('falls back to INTERNAL AUTHENTICATE on a card without PSO', async () => {
    const { profile, sent, authCertificate } = await cardWith('healthy', 'pkcs15', 'rsa-2048', { internalAuthenticateOnly: true });
    await profile.verify('auth', SCENARIO_PINS.auth);
    const before = sent.length;
    expect(await proveKey(profile, authCertificate)).toBe('ok');
    const headers = sent.slice(before).map((command) => Buffer.from(command.subarray(0, 4)).toString('hex'));
    expect(headers).toEqual(expect.arrayContaining(['002241a4', '00880000']));
  });

  it('signs with the key of the certificate asked for, not any key the PIN opens', async () => {
    const { profile, authCertificate } = await cardWith('healthy', 'pkcs15', 'ec-p256');
    const certificates = await profile.certificates();
    await profile.verify('sign', SCENARIO_PINS.sign);
    // the signature PIN opens the signature key only
    expect(await proveKey(profile, authCertificate)).toBe('pin-required');
    expect(await proveKey(profile, certificates[1]!)).toBe('ok');
  });
});
