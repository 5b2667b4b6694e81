// The PIV (NIST SP 800-73-4) personality of a virtual card: GET DATA objects, PIN 80 and PUK 81, long answers chained with 61xx.
import { gzipSync } from 'node:zlib';
import { type CardApplet, SW, status, withStatus } from './applet';
import { type CardModel, pinCheckStatus, unpadPin } from './card-model';
import { parseCommand, type Command } from './command';
import { concat, hex, tlv } from './der';

export const PIV_AID = hex('A0 00 00 03 08 00 00 10 00 01 00');
/** The shortest AID prefix a host may select with (OpenSC uses 9 bytes). */
const MIN_AID_PREFIX = 5;
const PIN_REFERENCE = 0x80;
const PUK_REFERENCE = 0x81;
const BLOCK_LENGTH = 8;
const PAD_CHAR = 0xff;
const SW_VERIFY_FAILED = 0x63c0;
const SW_REFERENCE_NOT_FOUND = 0x6a88;
const SW_INCORRECT_P1P2 = 0x6a86;

export const PIV_OBJECTS = {
  discovery: 0x7e,
  chuid: 0x5fc102,
  authentication: 0x5fc105,
  signature: 0x5fc10a,
  keyManagement: 0x5fc10b,
  cardAuthentication: 0x5fc101,
} as const;

export interface PivOptions {
  /** Store the signature certificate gzip-compressed (CertInfo bit 0x01), as some issuers do. */
  compressSignatureCertificate?: boolean;
}

const objectTag = (tag: number): string => tag.toString(16);

export class PivApplet implements CardApplet {
  readonly #objects = new Map<string, Uint8Array>();
  #selected = false;
  #pinVerified = false;
  /** Unsent rest of a long answer, fetched with GET RESPONSE. */
  #pending: Uint8Array | null = null;

  constructor(
    readonly atr: Uint8Array,
    private readonly model: CardModel,
    options: PivOptions = {},
  ) {
    this.build(options.compressSignatureCertificate ?? true);
  }

  reset(): void {
    this.#selected = false;
    this.#pinVerified = false;
    this.#pending = null;
  }

  process(bytes: Uint8Array): Uint8Array {
    const command = parseCommand(bytes);
    if (!command) return status(SW.WRONG_LENGTH);
    if (command.cla !== 0x00) return status(SW.CLA_NOT_SUPPORTED);
    if (command.ins === 0xc0) return this.getResponse(command);
    this.#pending = null;
    if (command.ins === 0xa4) return this.select(command);
    if (!this.#selected) return status(SW.CONDITIONS_NOT_SATISFIED);
    switch (command.ins) {
      case 0xcb:
        return this.getData(command);
      case 0x20:
        return this.verify(command);
      case 0x24:
        return this.changeReferenceData(command);
      case 0x2c:
        return this.resetRetryCounter(command);
      default:
        return status(SW.INS_NOT_SUPPORTED);
    }
  }

  private build(compressSignature: boolean): void {
    const serial = hex(this.model.serial);
    const guid = concat(new Uint8Array(Math.max(0, 16 - serial.length)), serial).subarray(0, 16);
    const fascN = new Uint8Array(25).fill(0xd6);
    this.#objects.set(
      objectTag(PIV_OBJECTS.chuid),
      tlv(0x53, tlv(0x30, fascN), tlv(0x34, guid), tlv(0x35, new TextEncoder().encode('20351231')), tlv(0x3e, new Uint8Array(0)), tlv(0xfe, new Uint8Array(0))),
    );
    this.#objects.set(objectTag(PIV_OBJECTS.discovery), tlv(0x7e, tlv(0x4f, PIV_AID), tlv(0x5f2f, Uint8Array.of(0x40, 0x00))));
    for (const certificate of this.model.certificates) {
      const compress = compressSignature && certificate.slot === 'sign';
      const content = compress ? new Uint8Array(gzipSync(certificate.der)) : certificate.der;
      const tag = certificate.slot === 'sign' ? PIV_OBJECTS.signature : PIV_OBJECTS.authentication;
      this.#objects.set(objectTag(tag), tlv(0x53, tlv(0x70, content), tlv(0x71, Uint8Array.of(compress ? 0x01 : 0x00)), tlv(0xfe, new Uint8Array(0))));
    }
  }

  private select(command: Command): Uint8Array {
    const { data } = command;
    const isPiv = command.p1 === 0x04 && data.length >= MIN_AID_PREFIX && data.length <= PIV_AID.length && data.every((b, i) => b === PIV_AID[i]);
    if (!isPiv) {
      this.#selected = false;
      return status(SW.FILE_NOT_FOUND);
    }
    this.#selected = true;
    const template = tlv(0x61, tlv(0x4f, PIV_AID.subarray(5)), tlv(0x79, tlv(0x4f, PIV_AID)), tlv(0x50, new TextEncoder().encode('Kortstation PIV')), tlv(0xac, tlv(0x80, Uint8Array.of(0x11)), tlv(0x06, new Uint8Array(0))));
    return this.answer(template, command);
  }

  private getData(command: Command): Uint8Array {
    if (command.p1 !== 0x3f || command.p2 !== 0xff) return status(SW_INCORRECT_P1P2);
    const { data } = command;
    const tagLength = data[1] ?? 0;
    if (data[0] !== 0x5c || data.length !== 2 + tagLength || tagLength < 1 || tagLength > 3) return status(SW.WRONG_DATA);
    const tag = data.subarray(2).reduce((value, byte) => value * 256 + byte, 0);
    const object = this.#objects.get(objectTag(tag));
    return object ? this.answer(object, command) : status(SW.FILE_NOT_FOUND);
  }

  /** Sends up to Le bytes now and keeps the rest for GET RESPONSE, announcing it with 61xx. */
  private answer(content: Uint8Array, command: Command): Uint8Array {
    const limit = command.le ?? (command.extended ? 65536 : 256);
    if (content.length <= limit) return withStatus(content, SW.OK);
    this.#pending = content.subarray(limit);
    return withStatus(content.subarray(0, limit), 0x6100 | Math.min(this.#pending.length, 256) % 256);
  }

  private getResponse(command: Command): Uint8Array {
    const pending = this.#pending;
    this.#pending = null;
    if (!pending || command.p1 !== 0 || command.p2 !== 0) return status(SW.CONDITIONS_NOT_SATISFIED);
    return this.answer(pending, command);
  }

  private verify(command: Command): Uint8Array {
    if (command.p2 !== PIN_REFERENCE && command.p2 !== PUK_REFERENCE) return status(SW_REFERENCE_NOT_FOUND);
    const pin = command.p2 === PIN_REFERENCE ? 'auth' : 'puk';
    if (command.p1 === 0xff) {
      if (pin === 'auth') this.#pinVerified = false;
      return status(SW.OK);
    }
    if (command.p1 !== 0x00) return status(SW_INCORRECT_P1P2);
    if (command.data.length === 0) {
      if (this.model.isBlocked(pin)) return status(SW.AUTH_METHOD_BLOCKED);
      return status(pin === 'auth' && this.#pinVerified ? SW.OK : SW_VERIFY_FAILED | this.model.triesLeft(pin));
    }
    // the PUK is only ever presented inside RESET RETRY COUNTER
    if (pin === 'puk') return status(SW.CONDITIONS_NOT_SATISFIED);
    const value = unpadPin(command.data, BLOCK_LENGTH, PAD_CHAR);
    if (value === null) return status(SW.WRONG_LENGTH);
    const result = this.model.check('auth', value);
    this.#pinVerified = result.kind === 'ok';
    return status(pinCheckStatus(result));
  }

  private changeReferenceData(command: Command): Uint8Array {
    if (command.p2 !== PIN_REFERENCE && command.p2 !== PUK_REFERENCE) return status(SW_REFERENCE_NOT_FOUND);
    if (command.p1 !== 0x00) return status(SW_INCORRECT_P1P2);
    if (command.data.length !== 2 * BLOCK_LENGTH) return status(SW.WRONG_LENGTH);
    const pin = command.p2 === PIN_REFERENCE ? 'auth' : 'puk';
    const current = unpadPin(command.data.subarray(0, BLOCK_LENGTH), BLOCK_LENGTH, PAD_CHAR);
    const next = unpadPin(command.data.subarray(BLOCK_LENGTH), BLOCK_LENGTH, PAD_CHAR);
    if (current === null || next === null || !this.model.acceptsFormat(pin, next)) return status(SW.WRONG_DATA);
    const result = this.model.check(pin, current);
    if (result.kind === 'ok') this.model.setValue(pin, next);
    return status(pinCheckStatus(result));
  }

  private resetRetryCounter(command: Command): Uint8Array {
    if (command.p2 !== PIN_REFERENCE) return status(SW_REFERENCE_NOT_FOUND);
    if (command.p1 !== 0x00) return status(SW_INCORRECT_P1P2);
    if (command.data.length !== 2 * BLOCK_LENGTH) return status(SW.WRONG_LENGTH);
    const puk = unpadPin(command.data.subarray(0, BLOCK_LENGTH), BLOCK_LENGTH, PAD_CHAR);
    const next = unpadPin(command.data.subarray(BLOCK_LENGTH), BLOCK_LENGTH, PAD_CHAR);
    if (puk === null || next === null || !this.model.acceptsFormat('auth', next)) return status(SW.WRONG_DATA);
    return status(pinCheckStatus(this.model.unblock('auth', puk, next)));
  }
}
