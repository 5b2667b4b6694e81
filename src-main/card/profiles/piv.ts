// PIV cards (NIST SP 800-73-4): certificates from fixed data objects, PIN reference 80 and PUK 81, gzip-compressed certificates.
import { gunzipSync } from 'node:zlib';
import type { PinRole } from '@shared/card-report';
import { type ApduChannel, CardError, toHex } from '../apdu';
import { childrenOf, findTag, parseTlvs } from '../tlv';
import { firstTlvBytes } from './iso-files';
import { encodePin, pinResultFrom, pinStatusFrom } from './pin-status';
import type { CardPinStatus, CardProfile, PinOperationResult, ProfileProbe } from './profile';

export const PIV_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00);
/** Authentication (9A), signature (9C), key management (9D), card authentication (9E). */
export const PIV_CERTIFICATE_OBJECTS = [0x5fc105, 0x5fc10a, 0x5fc10b, 0x5fc101] as const;
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

const corrupt = (what: string, cause?: unknown): CardError => new CardError('card-data-corrupt', `PIV: ${what}`, { cause });

function tagBytes(tag: number): number[] {
  return tag > 0xffff ? [tag >> 16, (tag >> 8) & 0xff, tag & 0xff] : tag > 0xff ? [tag >> 8, tag & 0xff] : [tag];
}

/** Decodes a certificate container: 70 certificate, 71 CertInfo (bit 0x01: gzip). */
export function certificateFromObject(object: Uint8Array): Uint8Array {
  const container = parseTlvs(object)[0];
  if (!container || container.tag !== 0x53) throw corrupt('certificate object is not tagged 53');
  const items = childrenOf({ ...container, constructed: true });
  const certificate = findTag(items, 0x70);
  if (!certificate || certificate.value.length === 0) throw corrupt('certificate object without certificate');
  const certInfo = findTag(items, 0x71)?.value[0] ?? 0;
  if (!(certInfo & CERT_INFO_GZIP)) return firstTlvBytes(certificate.value);
  try {
    return firstTlvBytes(new Uint8Array(gunzipSync(certificate.value, { maxOutputLength: MAX_INFLATED_BYTES })));
  } catch (error) {
    if (error instanceof CardError) throw error;
    throw corrupt('compressed certificate does not inflate', error);
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

class PivProfile implements CardProfile {
  readonly name = 'piv';

  constructor(private readonly channel: ApduChannel) {}

  async serial(): Promise<string | null> {
    const chuid = await this.getData(CHUID);
    return chuid ? serialFromChuid(chuid) : null;
  }

  async certificates(): Promise<Uint8Array[]> {
    const certificates: Uint8Array[] = [];
    for (const tag of PIV_CERTIFICATE_OBJECTS) {
      const object = await this.getData(tag);
      if (object) certificates.push(certificateFromObject(object));
    }
    return certificates;
  }

  async pins(): Promise<CardPinStatus[]> {
    const pin = await this.channel.send({ cla: 0, ins: INS_VERIFY, p1: 0, p2: PIN_REFERENCE });
    const puk = await this.channel.send({ cla: 0, ins: INS_VERIFY, p1: 0, p2: PUK_REFERENCE });
    // one PIV PIN guards both the authentication and the signature key
    return [pinStatusFrom('auth', pin.status), pinStatusFrom('puk', puk.status)];
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
