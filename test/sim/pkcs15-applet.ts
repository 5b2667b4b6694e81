// The PKCS#15 (ISO/IEC 7816-15, SITHS-like) personality of a virtual card; its files deliberately sit at non-default ids.
import { type CardApplet, SW, status } from './applet';
import { type CardModel, type CertificateSlot, type PinId, pinCheckStatus, unpadPin } from './card-model';
import { parseCommand, type Command } from './command';
import { bitString, concat, enumerated, hex, integer, integerContent, octets, sequence, tlv, utf8 } from './der';
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

export interface Pkcs15Options {
  /** false: no EF.DIR, the reader must select the application by AID. */
  efDir?: boolean;
}

const fid = (id: number): Uint8Array => Uint8Array.of(id >> 8, id & 0xff);
const path = (...ids: number[]): Uint8Array => concat(...ids.map(fid));

export class Pkcs15Applet implements CardApplet {
  readonly #files = new FileSystem();
  readonly #verified = new Set<PinId>();

  constructor(
    readonly atr: Uint8Array,
    private readonly model: CardModel,
    options: Pkcs15Options = {},
  ) {
    this.build(options.efDir ?? true);
  }

  reset(): void {
    this.#files.reset();
    this.#verified.clear();
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
      default:
        return status(SW.INS_NOT_SUPPORTED);
    }
  }

  private build(withEfDir: boolean): void {
    const { appDf, odf, tokenInfo, prkdf, cdf, aodf, firstCertificate, certificateBundle, firstKey } = PKCS15_LAYOUT;
    const fs = this.#files;
    const appPath = path(0x3f00, appDf);
    if (withEfDir) {
      fs.addEf(fs.mf, 0x2f00, tlv(0x61, tlv(0x4f, PKCS15_AID), tlv(0x50, new TextEncoder().encode('SITHS')), tlv(0x51, appPath)));
    }
    const app = fs.addDf(fs.mf, appDf, PKCS15_AID);
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
      sequence(integer(0), octets(hex(this.model.serial)), utf8('Kortstation virtuellt kort'), tlv(0x80, new TextEncoder().encode('SITHS')), bitString([])),
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
      prkdfEntries.push(this.privateKeyEntry(certificate.slot, certificate.label, keyId, path(0x3f00, appDf, firstKey + index)));
    });
    if (bundle.length > 0) fs.addEf(app, certificateBundle, bundle);
    fs.addEf(app, cdf, concat(...cdfEntries));
    fs.addEf(app, prkdf, concat(...prkdfEntries));
    fs.addEf(app, aodf, concat(...(['auth', 'sign', 'puk'] as const).map((pin) => this.pinEntry(pin, appPath))));
  }

  private privateKeyEntry(slot: CertificateSlot, label: string, keyId: Uint8Array, keyPath: Uint8Array): Uint8Array {
    const usage = slot === 'sign' ? [KEY_USAGE.nonRepudiation] : [KEY_USAGE.sign];
    const common = sequence(utf8(label), bitString([0]), octets(Uint8Array.of(AUTH_IDS[slot])));
    return tlv(0xa0, common, sequence(octets(keyId), bitString(usage)), tlv(0xa1, sequence(sequence(octets(keyPath)))));
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
