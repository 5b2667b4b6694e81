// The PKCS#15 (ISO/IEC 7816-15, SITHS-like) personality of a virtual card; its files deliberately sit at non-default ids.
import { type CardApplet, SW, status, withStatus } from './applet';
import { type CardCertificate, type CardModel, type CertificateSlot, type PinId, pinCheckStatus, unpadPin } from './card-model';
import { ecdsaSignDigest, modulusBytes, rsaSign } from './card-keys';
import { parseCommand, type Command } from './command';
import { bitString, concat, enumerated, hex, integer, integerContent, octets, readTlvs, sequence, tlv, utf8 } from './der';
import { FileSystem } from './file-system';

export const PKCS15_AID = hex('A0 00 00 00 63 50 4B 43 53 2D 31 35');
/** Where this card keeps things; a reader must learn them from EF.DIR, ODF and CDF. */
export const PKCS15_LAYOUT = {
  appDf: 0x5100,
  odf: 0x5031,
  tokenInfo: 0x5032,
  prkdf: 0x6001,
  cdf: 0x6002,
  aodf: 0x6003,
  firstCertificate: 0x7001,
  certificateBundle: 0x7002,
  firstKey: 0x8001,
} as const;
export const PKCS15_PIN_REFERENCES: Readonly<Record<PinId, number>> = { auth: 0x81, sign: 0x82, puk: 0x83 };
/** Key references the PrKDF names for MSE:SET; the n-th certificate's key is FIRST_KEY_REFERENCE + n. */
const FIRST_KEY_REFERENCE = 0x11;
const AUTH_IDS: Readonly<Record<PinId, number>> = { auth: 0x01, sign: 0x02, puk: 0x03 };
const PIN_LABELS: Readonly<Record<PinId, string>> = { auth: 'Legitimering', sign: 'Underskrift', puk: 'PUK' };
const STORED_LENGTH = 8;
const PAD_CHAR = 0xff;
/** Gap before the second certificate in the bundle file, so readers must honour the CDF's offset. */
const BUNDLE_GAP = 16;

const PIN_FLAG = { local: 1, unblockDisabled: 3, initialized: 4, needsPadding: 5, unblockingPin: 6 } as const;
const KEY_USAGE = { sign: 2, nonRepudiation: 9 } as const;
const PIN_TYPE_ASCII_NUMERIC = 1;

const SW_VERIFY_FAILED = 0x63c0;
const SW_REFERENCE_NOT_FOUND = 0x6a88;
const SW_INCORRECT_P1P2 = 0x6a86;
/** MSE:SET templates: digital signature (DST) and authentication (AT). */
const MSE_SET_COMPUTE = 0x41;
const CRT_DST = 0xb6;
const CRT_AT = 0xa4;

export interface Pkcs15Options {
  /** false: no EF.DIR, the reader must select the application by AID. */
  efDir?: boolean;
  /** true: the card signs only with INTERNAL AUTHENTICATE, PSO:COMPUTE DIGITAL SIGNATURE is unknown to it. */
  internalAuthenticateOnly?: boolean;
  /** The application's AID (PKCS-15 by default; SetCOS SITHS generations and German eIDs use ESIGN). */
  aid?: Uint8Array;
  /** Label in EF.DIR and TokenInfo ("SITHS" by default). */
  label?: string;
  /** false: EF.DIR names the application by AID only, without its path. */
  dirPath?: boolean;
  /** EF.DIR records listed before this application's (other applications of a multi-application card). */
  otherApplications?: readonly Uint8Array[];
}

interface SecurityEnvironment {
  template: typeof CRT_DST | typeof CRT_AT;
  key: CardCertificate;
}

const fid = (id: number): Uint8Array => Uint8Array.of(id >> 8, id & 0xff);
const path = (...ids: number[]): Uint8Array => concat(...ids.map(fid));

export class Pkcs15Applet implements CardApplet {
  readonly #files = new FileSystem();
  readonly #verified = new Set<PinId>();
  #environment: SecurityEnvironment | null = null;

  constructor(
    readonly atr: Uint8Array,
    private readonly model: CardModel,
    private readonly options: Pkcs15Options = {},
  ) {
    this.build(options.efDir ?? true);
  }

  reset(): void {
    this.#files.reset();
    this.#verified.clear();
    this.#environment = null;
  }

  process(bytes: Uint8Array): Uint8Array {
    const command = parseCommand(bytes);
    if (!command) return status(SW.WRONG_LENGTH);
    if (command.cla !== 0x00) return status(SW.CLA_NOT_SUPPORTED);
    switch (command.ins) {
      case 0xa4:
        return this.#files.select(command);
      case 0xb0:
        return this.#files.readBinary(command);
      case 0x20:
        return this.verify(command);
      case 0x24:
        return this.changeReferenceData(command);
      case 0x2c:
        return this.resetRetryCounter(command);
      case 0x22:
        return this.manageSecurityEnvironment(command);
      case 0x2a:
        if (this.options.internalAuthenticateOnly) return status(SW.INS_NOT_SUPPORTED);
        if (command.p1 !== 0x9e || command.p2 !== 0x9a) return status(SW_INCORRECT_P1P2);
        return this.sign(command, CRT_DST);
      case 0x88:
        if (command.p1 !== 0x00 || command.p2 !== 0x00) return status(SW_INCORRECT_P1P2);
        return this.sign(command, CRT_AT);
      default:
        return status(SW.INS_NOT_SUPPORTED);
    }
  }

  private build(withEfDir: boolean): void {
    const { appDf, odf, tokenInfo, prkdf, cdf, aodf, firstCertificate, certificateBundle, firstKey } = PKCS15_LAYOUT;
    const fs = this.#files;
    const appPath = path(0x3f00, appDf);
    const aid = this.options.aid ?? PKCS15_AID;
    const label = new TextEncoder().encode(this.options.label ?? 'SITHS');
    if (withEfDir) {
      const record = tlv(0x61, tlv(0x4f, aid), tlv(0x50, label), this.options.dirPath === false ? new Uint8Array(0) : tlv(0x51, appPath));
      fs.addEf(fs.mf, 0x2f00, concat(...(this.options.otherApplications ?? []), record));
    }
    const app = fs.addDf(fs.mf, appDf, aid);
    // absolute paths for CDF and PrKDF, a bare file id for the AODF: readers must handle both
    fs.addEf(
      app,
      odf,
      concat(
        tlv(0xa0, sequence(octets(path(0x3f00, appDf, prkdf)))),
        tlv(0xa4, sequence(octets(path(0x3f00, appDf, cdf)))),
        tlv(0xa8, sequence(octets(fid(aodf)))),
      ),
    );
    fs.addEf(
      app,
      tokenInfo,
      sequence(integer(0), octets(hex(this.model.serial)), utf8('Kortstation virtuellt kort'), tlv(0x80, label), bitString([])),
    );

    const cdfEntries: Uint8Array[] = [];
    const prkdfEntries: Uint8Array[] = [];
    let bundle: Uint8Array = new Uint8Array(0);
    this.model.certificates.forEach((certificate, index) => {
      const keyId = Uint8Array.of(index + 1);
      let location: Uint8Array;
      if (index === 0) {
        fs.addEf(app, firstCertificate, certificate.der);
        location = sequence(octets(path(0x3f00, appDf, firstCertificate)));
      } else {
        const offset = bundle.length + BUNDLE_GAP;
        bundle = concat(bundle, new Uint8Array(BUNDLE_GAP), certificate.der);
        location = sequence(octets(path(0x3f00, appDf, certificateBundle)), integer(offset), tlv(0x80, integerContent(certificate.der.length)));
      }
      cdfEntries.push(sequence(sequence(utf8(certificate.label)), sequence(octets(keyId)), tlv(0xa1, sequence(location))));
      fs.addEf(app, firstKey + index, new Uint8Array(0), false);
      prkdfEntries.push(this.privateKeyEntry(certificate, keyId, FIRST_KEY_REFERENCE + index, path(0x3f00, appDf, firstKey + index)));
    });
    if (bundle.length > 0) fs.addEf(app, certificateBundle, bundle);
    fs.addEf(app, cdf, concat(...cdfEntries));
    fs.addEf(app, prkdf, concat(...prkdfEntries));
    fs.addEf(app, aodf, concat(...(['auth', 'sign', 'puk'] as const).map((pin) => this.pinEntry(pin, appPath))));
  }

  /** privateRSAKey (SEQUENCE, with its modulus length) or privateECKey ([0]); keyReference is what MSE:SET names. */
  private privateKeyEntry(certificate: CardCertificate, keyId: Uint8Array, keyReference: number, keyPath: Uint8Array): Uint8Array {
    const slot: CertificateSlot = certificate.slot;
    const usage = slot === 'sign' ? [KEY_USAGE.nonRepudiation] : [KEY_USAGE.sign];
    const common = sequence(utf8(certificate.label), bitString([0]), octets(Uint8Array.of(AUTH_IDS[slot])));
    const keyAttributes = sequence(octets(keyId), bitString(usage), integer(keyReference));
    const value = sequence(octets(keyPath));
    if (certificate.privateKey.asymmetricKeyType === 'rsa') {
      return sequence(common, keyAttributes, tlv(0xa1, sequence(value, integer(modulusBytes(certificate.privateKey) * 8))));
    }
    return tlv(0xa0, common, keyAttributes, tlv(0xa1, sequence(value)));
  }

  /** MSE:SET for signing (DST) or authentication (AT): the key by its reference (84) or its file (81). */
  private manageSecurityEnvironment(command: Command): Uint8Array {
    this.#environment = null;
    if (command.p1 !== MSE_SET_COMPUTE || (command.p2 !== CRT_DST && command.p2 !== CRT_AT)) return status(SW_INCORRECT_P1P2);
    const items = readTlvs(command.data);
    if (!items) return status(SW.WRONG_DATA);
    const reference = items.find((item) => item.tag === 0x84)?.value;
    const file = items.find((item) => item.tag === 0x81)?.value;
    const index = this.model.certificates.findIndex((_, i) =>
      reference ? reference.length === 1 && reference[0] === FIRST_KEY_REFERENCE + i : file?.length === 2 && ((file[0] ?? 0) << 8 | (file[1] ?? 0)) === PKCS15_LAYOUT.firstKey + i,
    );
    const key = this.model.certificates[index];
    if (!key) return status(SW_REFERENCE_NOT_FOUND);
    this.#environment = { template: command.p2, key };
    return status(SW.OK);
  }

  /** PSO:COMPUTE DIGITAL SIGNATURE or INTERNAL AUTHENTICATE: only after the key's PIN was verified since power-up. */
  private sign(command: Command, template: SecurityEnvironment['template']): Uint8Array {
    const environment = this.#environment;
    if (!environment || environment.template !== template) return status(SW.CONDITIONS_NOT_SATISFIED);
    if (!this.#verified.has(environment.key.slot)) return status(SW.SECURITY_NOT_SATISFIED);
    const key = environment.key.privateKey;
    const signature = key.asymmetricKeyType === 'rsa' ? rsaSign(key, command.data) : command.data.length > 0 ? ecdsaSignDigest(key, command.data) : null;
    return signature ? withStatus(signature, SW.OK) : status(SW.WRONG_DATA);
  }

  private pinEntry(pin: PinId, appPath: Uint8Array): Uint8Array {
    const policy = this.model.policy(pin);
    const isPuk = pin === 'puk';
    const flags = isPuk
      ? [PIN_FLAG.local, PIN_FLAG.unblockDisabled, PIN_FLAG.initialized, PIN_FLAG.needsPadding, PIN_FLAG.unblockingPin]
      : [PIN_FLAG.local, PIN_FLAG.initialized, PIN_FLAG.needsPadding];
    const unblockedBy = isPuk ? new Uint8Array(0) : octets(Uint8Array.of(AUTH_IDS.puk));
    const attributes = sequence(
      bitString(flags),
      enumerated(PIN_TYPE_ASCII_NUMERIC),
      integer(policy.minLength),
      integer(STORED_LENGTH),
      integer(policy.maxLength),
      tlv(0x80, integerContent(PKCS15_PIN_REFERENCES[pin])),
      octets(Uint8Array.of(PAD_CHAR)),
      sequence(octets(appPath)),
    );
    return sequence(sequence(utf8(PIN_LABELS[pin]), unblockedBy), sequence(octets(Uint8Array.of(AUTH_IDS[pin]))), tlv(0xa1, attributes));
  }

  private pinFor(reference: number): PinId | undefined {
    return (Object.keys(PKCS15_PIN_REFERENCES) as PinId[]).find((pin) => PKCS15_PIN_REFERENCES[pin] === reference);
  }

  private verify(command: Command): Uint8Array {
    const pin = this.pinFor(command.p2);
    if (!pin) return status(SW_REFERENCE_NOT_FOUND);
    if (command.p1 === 0xff) {
      this.#verified.delete(pin);
      return status(SW.OK);
    }
    if (command.p1 !== 0x00) return status(SW_INCORRECT_P1P2);
    if (command.data.length === 0) {
      if (this.model.isBlocked(pin)) return status(SW.AUTH_METHOD_BLOCKED);
      return status(this.#verified.has(pin) ? SW.OK : SW_VERIFY_FAILED | this.model.triesLeft(pin));
    }
    const value = unpadPin(command.data, STORED_LENGTH, PAD_CHAR);
    if (value === null) return status(SW.WRONG_LENGTH);
    const result = this.model.check(pin, value);
    if (result.kind === 'ok') this.#verified.add(pin);
    else this.#verified.delete(pin);
    return status(pinCheckStatus(result));
  }

  private changeReferenceData(command: Command): Uint8Array {
    const pin = this.pinFor(command.p2);
    if (!pin) return status(SW_REFERENCE_NOT_FOUND);
    if (command.p1 !== 0x00) return status(SW_INCORRECT_P1P2);
    if (command.data.length !== 2 * STORED_LENGTH) return status(SW.WRONG_LENGTH);
    const current = unpadPin(command.data.subarray(0, STORED_LENGTH), STORED_LENGTH, PAD_CHAR);
    const next = unpadPin(command.data.subarray(STORED_LENGTH), STORED_LENGTH, PAD_CHAR);
    if (current === null || next === null || !this.model.acceptsFormat(pin, next)) return status(SW.WRONG_DATA);
    const result = this.model.check(pin, current);
    if (result.kind === 'ok') {
      this.model.setValue(pin, next);
      this.#verified.add(pin);
    }
    return status(pinCheckStatus(result));
  }

  private resetRetryCounter(command: Command): Uint8Array {
    const pin = this.pinFor(command.p2);
    if (!pin) return status(SW_REFERENCE_NOT_FOUND);
    if (pin === 'puk') return status(SW.CONDITIONS_NOT_SATISFIED);
    if (command.p1 !== 0x00 && command.p1 !== 0x01) return status(SW_INCORRECT_P1P2);
    const keepValue = command.p1 === 0x01;
    if (command.data.length !== (keepValue ? 1 : 2) * STORED_LENGTH) return status(SW.WRONG_LENGTH);
    const puk = unpadPin(command.data.subarray(0, STORED_LENGTH), STORED_LENGTH, PAD_CHAR);
    const next = keepValue ? this.model.toJSON().pins[pin].value : unpadPin(command.data.subarray(STORED_LENGTH), STORED_LENGTH, PAD_CHAR);
    if (puk === null || next === null || !this.model.acceptsFormat(pin, next)) return status(SW.WRONG_DATA);
    return status(pinCheckStatus(this.model.unblock(pin, puk, next)));
  }
}
