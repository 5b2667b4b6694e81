// The PIV (NIST SP 800-73-4) personality of a virtual card: GET DATA objects, PIN 80 and PUK 81, long answers chained with 61xx.
import { gzipSync } from 'node:zlib';
import { type CardApplet, SW, status, withStatus } from './applet';
import { type CardCertificate, type CardModel, pinCheckStatus, unpadPin } from './card-model';
import { ecdsaDer, ecdsaSignDigest, modulusBytes, rsaSign } from './card-keys';
import { parseCommand, type Command } from './command';
import { concat, hex, readTlvs, tlv } from './der';

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
const CLA_CHAINING = 0x10;
const INS_GENERAL_AUTHENTICATE = 0x87;
/** SP 800-73-4 key references: PIV authentication 9A, digital signature 9C. */
const KEY_REFERENCES = { auth: 0x9a, sign: 0x9c } as const;
/** SP 800-78-4 algorithm identifiers: RSA 2048, ECC P-256. */
const ALGORITHM = { rsa2048: 0x07, eccP256: 0x11 } as const;

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
  /** Data of a chained GENERAL AUTHENTICATE received so far. */
  #chained: Uint8Array | null = null;

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
    this.#chained = null;
  }

  process(bytes: Uint8Array): Uint8Array {
    const command = parseCommand(bytes);
    if (!command) return status(SW.WRONG_LENGTH);
    const chaining = command.cla === CLA_CHAINING && command.ins === INS_GENERAL_AUTHENTICATE;
    if (command.cla !== 0x00 && !chaining) return status(SW.CLA_NOT_SUPPORTED);
    if (command.ins === 0xc0) return this.getResponse(command);
    this.#pending = null;
    const chained = this.#chained;
    this.#chained = null;
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
      case INS_GENERAL_AUTHENTICATE: {
        const data = chained ? concat(chained, command.data) : command.data;
        if (!chaining) return this.generalAuthenticate({ ...command, data });
        this.#chained = data;
        return status(SW.OK);
      }
      default:
        return status(SW.INS_NOT_SUPPORTED);
    }
  }

  /** GENERAL AUTHENTICATE 7C{82 00, 81 challenge} → 7C{82 signature}: raw RSA on a padded block, ECDSA on a digest; PIN first. */
  private generalAuthenticate(command: Command): Uint8Array {
    const certificate = this.model.certificates.find((candidate) => KEY_REFERENCES[candidate.slot] === command.p2);
    if (!certificate) return status(SW_REFERENCE_NOT_FOUND);
    if (command.p1 !== algorithmOf(certificate)) return status(SW_INCORRECT_P1P2);
    const template = readTlvs(command.data);
    const items = template?.length === 1 && template[0]?.tag === 0x7c ? readTlvs(template[0].value) : null;
    const challenge = items?.find((item) => item.tag === 0x81)?.value;
    if (!items?.some((item) => item.tag === 0x82 && item.value.length === 0) || !challenge) return status(SW.WRONG_DATA);
    if (!this.#pinVerified) return status(SW.SECURITY_NOT_SATISFIED);
    const key = certificate.privateKey;
    const isRsa = key.asymmetricKeyType === 'rsa';
    if (isRsa && challenge.length !== modulusBytes(key)) return status(SW.WRONG_DATA);
    const signature = isRsa ? rsaSign(key, challenge) : ecdsaDer(ecdsaSignDigest(key, challenge));
    return signature ? this.answer(tlv(0x7c, tlv(0x82, signature)), command) : status(SW.WRONG_DATA);
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

const algorithmOf = (certificate: CardCertificate): number =>
  certificate.privateKey.asymmetricKeyType === 'rsa' ? ALGORITHM.rsa2048 : ALGORITHM.eccP256;
