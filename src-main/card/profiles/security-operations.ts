// ISO/IEC 7816-8 signing as OpenSC's iso7816 driver does it: MSE:SET names the key, then PSO:COMPUTE DIGITAL SIGNATURE, or INTERNAL AUTHENTICATE on cards without PSO.
import { type ApduChannel, type ResponseApdu, concatBytes } from '../apdu';
import type { CardSignature, SignatureRequest } from './profile';

/** How MSE:SET names a key: its reference (tag 84) and/or its file id (tag 81), both from the PrKDF. */
export interface KeyLocation {
  keyReference: number | null;
  fileId: Uint8Array | null;
}

const INS_MSE = 0x22;
const MSE_SET_COMPUTE = 0x41;
const CRT_DIGITAL_SIGNATURE = 0xb6;
const CRT_AUTHENTICATION = 0xa4;
const INS_PSO = 0x2a;
const PSO_DIGITAL_SIGNATURE = { p1: 0x9e, p2: 0x9a } as const;
const INS_INTERNAL_AUTHENTICATE = 0x88;
const SHORT_MAX_LE = 256;

export function signatureFrom(response: ResponseApdu): CardSignature {
  switch (response.status.kind) {
    case 'ok':
      return response.data.length > 0 ? { kind: 'ok', signature: response.data } : { kind: 'failed', sw: response.sw };
    case 'security-not-satisfied':
      return { kind: 'pin-required' };
    case 'not-supported':
      return { kind: 'not-supported' };
    default:
      return { kind: 'failed', sw: response.sw };
  }
}

function setEnvironment(channel: ApduChannel, template: number, key: KeyLocation): Promise<ResponseApdu> {
  const parts: Uint8Array[] = [];
  if (key.fileId) parts.push(Uint8Array.of(0x81, key.fileId.length), key.fileId);
  if (key.keyReference !== null) parts.push(Uint8Array.of(0x84, 0x01, key.keyReference & 0xff));
  return channel.send({ cla: 0, ins: INS_MSE, p1: MSE_SET_COMPUTE, p2: template, data: concatBytes(parts) });
}

/** The key's DF must be current. RSA keys get the DigestInfo (the card pads it), EC keys the digest. */
export async function computeSignature(channel: ApduChannel, key: KeyLocation, request: SignatureRequest): Promise<CardSignature> {
  const input = request.algorithm === 'rsa-pkcs1' ? request.digestInfo : request.digest;
  const le = request.algorithm === 'rsa-pkcs1' && request.modulusBytes > SHORT_MAX_LE ? request.modulusBytes : SHORT_MAX_LE;
  const signing = await setEnvironment(channel, CRT_DIGITAL_SIGNATURE, key);
  if (signing.status.kind === 'ok') {
    const response = await channel.send({ cla: 0, ins: INS_PSO, ...PSO_DIGITAL_SIGNATURE, data: input, le });
    if (response.status.kind !== 'not-supported') return signatureFrom(response);
  }
  const authentication = await setEnvironment(channel, CRT_AUTHENTICATION, key);
  if (authentication.status.kind !== 'ok') return signatureFrom(signing.status.kind === 'ok' ? authentication : signing);
  return signatureFrom(await channel.send({ cla: 0, ins: INS_INTERNAL_AUTHENTICATE, p1: 0, p2: 0, data: input, le }));
}
