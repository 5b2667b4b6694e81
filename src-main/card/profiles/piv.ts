// PIV cards (NIST SP 800-73-4): certificates from fixed data objects, PIN reference 80 and PUK 81, gzip-compressed certificates.
import { gunzipSync } from 'node:zlib';
import type { PinRole } from '@shared/card-report';
import { type ApduChannel, CardError, type ResponseApdu, concatBytes, toHex } from '../apdu';
import { childrenOf, encodeTlv, findTag, parseTlvs } from '../tlv';
import { firstTlvBytes } from './iso-files';
import { encodePin, pinResultFrom, pinStatusFrom } from './pin-status';
import type { CardPinStatus, CardProfile, CardSignature, PinOperationResult, ProfileProbe, SignatureRequest } from './profile';
import { signatureFrom } from './security-operations';

export const PIV_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00);
/** Authentication (9A), signature (9C), key management (9D), card authentication (9E). */
export const PIV_CERTIFICATE_OBJECTS = [0x5fc105, 0x5fc10a, 0x5fc10b, 0x5fc101] as const;
/** The key reference beside each certificate object, in the same order (SP 800-73-4 table 4b). */
const PIV_KEY_REFERENCES = [0x9a, 0x9c, 0x9d, 0x9e] as const;
/** SP 800-78-4 algorithm identifiers by RSA modulus bytes and by curve. */
const RSA_ALGORITHMS: Readonly<Record<number, number>> = { 128: 0x06, 256: 0x07, 384: 0x05, 512: 0x16 };
const EC_ALGORITHMS = { 'P-256': 0x11, 'P-384': 0x14 } as const;
const INS_GENERAL_AUTHENTICATE = 0x87;
const CLA_CHAINING = 0x10;
const MAX_CHUNK = 255;
const CHUID = 0x5fc102;
const PIN_REFERENCE = 0x80;
const PUK_REFERENCE = 0x81;
const PIV_PIN_RULES = { minLength: 6, maxLength: 8, storedLength: 8, padChar: 0xff } as const;
const CERT_INFO_GZIP = 0x01;
/** A certificate is a few kB; anything that inflates further is not one. */
const MAX_INFLATED_BYTES = 32 * 1024;
const INS_VERIFY = 0x20;
const INS_CHANGE_REFERENCE_DATA = 0x24;
const INS_RESET_RETRY_COUNTER = 0x2c;
/** Yubico's PIV extension: GET METADATA of a key or PIN reference. */
const INS_GET_METADATA = 0xf7;
const METADATA_RETRIES = 0x06;

const corrupt = (what: string, cause?: unknown): CardError => new CardError('card-data-corrupt', `PIV: ${what}`, { cause });

function tagBytes(tag: number): number[] {
  return tag > 0xffff ? [tag >> 16, (tag >> 8) & 0xff, tag & 0xff] : tag > 0xff ? [tag >> 8, tag & 0xff] : [tag];
}

/** The certificate without trailing fill; one cut short is passed on as it is, for the certificate parser to call corrupt. */
function wholeTlvOrAsIs(bytes: Uint8Array): Uint8Array {
  try {
    return firstTlvBytes(bytes);
  } catch {
    return bytes;
  }
}

/** Decodes a certificate container: 70 certificate, 71 CertInfo (bit 0x01: gzip). */
export function certificateFromObject(object: Uint8Array): Uint8Array {
  const container = parseTlvs(object)[0];
  if (!container || container.tag !== 0x53) throw corrupt('certificate object is not tagged 53');
  const items = childrenOf({ ...container, constructed: true });
  const certificate = findTag(items, 0x70);
  if (!certificate || certificate.value.length === 0) throw corrupt('certificate object without certificate');
  const certInfo = findTag(items, 0x71)?.value[0] ?? 0;
  if (!(certInfo & CERT_INFO_GZIP)) return wholeTlvOrAsIs(certificate.value);
  try {
    return wholeTlvOrAsIs(new Uint8Array(gunzipSync(certificate.value, { maxOutputLength: MAX_INFLATED_BYTES })));
  } catch (error) {
    if (error instanceof CardError) throw error;
    throw corrupt('compressed certificate does not inflate', error);
  }
}

/** Tries left from a GET METADATA answer (tag 06: total, remaining); null when the answer carries none. */
export function retriesFromMetadata(data: Uint8Array): number | null {
  try {
    const retries = findTag(parseTlvs(data), METADATA_RETRIES)?.value;
    return retries && retries.length === 2 ? (retries[1] ?? null) : null;
  } catch {
    return null;
  }
}

/** Card serial from the CHUID: the GUID when set, else the FASC-N. */
export function serialFromChuid(object: Uint8Array): string | null {
  const container = parseTlvs(object)[0];
  if (!container || container.tag !== 0x53) throw corrupt('CHUID is not tagged 53');
  const items = childrenOf({ ...container, constructed: true });
  const guid = findTag(items, 0x34)?.value;
  if (guid && guid.some((byte) => byte !== 0)) return toHex(guid);
  const fascN = findTag(items, 0x30)?.value;
  return fascN && fascN.length > 0 ? toHex(fascN) : null;
}

/** EMSA-PKCS1-v1_5 (RFC 8017 §9.2): PIV cards do raw RSA, so the host pads. */
function pkcs1Block(digestInfo: Uint8Array, modulusBytes: number): Uint8Array | null {
  const fill = modulusBytes - digestInfo.length - 3;
  if (fill < 8) return null;
  return concatBytes([Uint8Array.of(0x00, 0x01), new Uint8Array(fill).fill(0xff), Uint8Array.of(0x00), digestInfo]);
}

class PivProfile implements CardProfile {
  readonly name = 'piv';
  readonly label = null;
  /** Key reference of each certificate read (DER as hex). */
  readonly #keyReferences = new Map<string, number>();

  constructor(private readonly channel: ApduChannel) {}

  async serial(): Promise<string | null> {
    const chuid = await this.getData(CHUID);
    return chuid ? serialFromChuid(chuid) : null;
  }

  async certificates(): Promise<Uint8Array[]> {
    const certificates: Uint8Array[] = [];
    for (const [index, tag] of PIV_CERTIFICATE_OBJECTS.entries()) {
      const object = await this.getData(tag);
      if (!object) continue;
      const der = certificateFromObject(object);
      this.#keyReferences.set(toHex(der), PIV_KEY_REFERENCES[index] ?? 0);
      certificates.push(der);
    }
    return certificates;
  }

  async pins(): Promise<CardPinStatus[]> {
    const pin = await this.channel.send({ cla: 0, ins: INS_VERIFY, p1: 0, p2: PIN_REFERENCE });
    // one PIV PIN guards both the authentication and the signature key
    return [pinStatusFrom('auth', pin.status), await this.pukStatus()];
  }

  /** The metadata command (YubiKey and compatibles) tells PUK tries that VERIFY without data does not; other tokens get VERIFY. */
  private async pukStatus(): Promise<CardPinStatus> {
    const metadata = await this.channel.send({ cla: 0, ins: INS_GET_METADATA, p1: 0, p2: PUK_REFERENCE, le: 256 });
    const triesLeft = metadata.status.kind === 'ok' ? retriesFromMetadata(metadata.data) : null;
    if (triesLeft !== null) return { role: 'puk', triesLeft, blocked: triesLeft === 0 };
    const puk = await this.channel.send({ cla: 0, ins: INS_VERIFY, p1: 0, p2: PUK_REFERENCE });
    return pinStatusFrom('puk', puk.status);
  }

  async verify(_role: Exclude<PinRole, 'puk'>, value: string): Promise<PinOperationResult> {
    const block = encodePin(value, PIV_PIN_RULES);
    if (!block) return { kind: 'invalid-format' };
    return this.pinCommand(INS_VERIFY, PIN_REFERENCE, block);
  }

  async change(role: PinRole, current: string, next: string): Promise<PinOperationResult> {
    const rules = role === 'puk' ? { ...PIV_PIN_RULES, minLength: 8 } : PIV_PIN_RULES;
    const oldBlock = encodePin(current, rules);
    const newBlock = encodePin(next, rules);
    if (!oldBlock || !newBlock) return { kind: 'invalid-format' };
    return this.pinCommand(INS_CHANGE_REFERENCE_DATA, role === 'puk' ? PUK_REFERENCE : PIN_REFERENCE, Uint8Array.from([...oldBlock, ...newBlock]));
  }

  async unblock(_role: Exclude<PinRole, 'puk'>, puk: string, next: string): Promise<PinOperationResult> {
    const pukBlock = encodePin(puk, { ...PIV_PIN_RULES, minLength: 8 });
    const newBlock = encodePin(next, PIV_PIN_RULES);
    if (!pukBlock || !newBlock) return { kind: 'invalid-format' };
    return this.pinCommand(INS_RESET_RETRY_COUNTER, PIN_REFERENCE, Uint8Array.from([...pukBlock, ...newBlock]));
  }

  /** GENERAL AUTHENTICATE with 7C{82 00, 81 challenge}, chained in 255-byte parts as OpenSC's PIV driver sends it. */
  async sign(certificate: Uint8Array, request: SignatureRequest): Promise<CardSignature> {
    if (this.#keyReferences.size === 0) await this.certificates();
    const keyReference = this.#keyReferences.get(toHex(certificate));
    const algorithm = request.algorithm === 'rsa-pkcs1' ? RSA_ALGORITHMS[request.modulusBytes] : EC_ALGORITHMS[request.curve];
    const challenge = request.algorithm === 'rsa-pkcs1' ? pkcs1Block(request.digestInfo, request.modulusBytes) : request.digest;
    if (keyReference === undefined || algorithm === undefined || !challenge) return { kind: 'not-supported' };
    const data = encodeTlv(0x7c, concatBytes([encodeTlv(0x82, new Uint8Array(0)), encodeTlv(0x81, challenge)]));
    for (let offset = 0; ; offset += MAX_CHUNK) {
      const last = offset + MAX_CHUNK >= data.length;
      const part = data.subarray(offset, offset + MAX_CHUNK);
      const command = { cla: last ? 0 : CLA_CHAINING, ins: INS_GENERAL_AUTHENTICATE, p1: algorithm, p2: keyReference, data: part };
      const response = await this.channel.send(last ? { ...command, le: 256 } : command);
      if (!last && response.status.kind !== 'ok') return signatureFrom(response);
      if (last) return this.signatureOf(response);
    }
  }

  private signatureOf(response: ResponseApdu): CardSignature {
    const answer = signatureFrom(response);
    if (answer.kind !== 'ok') return answer;
    const template = parseTlvs(answer.signature)[0];
    const signature = template?.tag === 0x7c ? findTag(childrenOf({ ...template, constructed: true }), 0x82)?.value : undefined;
    return signature && signature.length > 0 ? { kind: 'ok', signature } : { kind: 'failed', sw: response.sw };
  }

  private async pinCommand(ins: number, reference: number, data: Uint8Array): Promise<PinOperationResult> {
    const response = await this.channel.send({ cla: 0, ins, p1: 0, p2: reference, data });
    return pinResultFrom(response.status, response.sw);
  }

  /** GET DATA with a short Le: long objects come back through 61xx/GET RESPONSE. undefined when absent. */
  private async getData(tag: number): Promise<Uint8Array | undefined> {
    const id = tagBytes(tag);
    const response = await this.channel.send({ cla: 0, ins: 0xcb, p1: 0x3f, p2: 0xff, data: Uint8Array.from([0x5c, id.length, ...id]), le: 256 });
    if (response.status.kind === 'ok' && response.data.length > 0) return response.data;
    if (response.status.kind === 'not-found' || response.status.kind === 'security-not-satisfied') return undefined;
    throw corrupt(`GET DATA ${tag.toString(16)} answered ${response.sw.toString(16)}`);
  }
}

export const probePiv: ProfileProbe = async (channel) => {
  const response = await channel.send({ cla: 0, ins: 0xa4, p1: 0x04, p2: 0x00, data: PIV_AID, le: 256 });
  return response.status.kind === 'ok' ? new PivProfile(channel) : null;
};
