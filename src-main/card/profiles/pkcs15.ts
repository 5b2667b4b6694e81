// SITHS cards (ISO/IEC 7816-15, SS 61 43 32): everything is found through EF.DIR → ODF → CDF/PrKDF/AODF, never at fixed file ids.
import type { PinRole } from '@shared/card-report';
import { type ApduChannel, CardError, equalBytes, toHex } from '../apdu';
import { findPkcs15Application } from './app-discovery';
import { type AppLocation, firstTlvBytes, readFile, selectAid, selectPath } from './iso-files';
import { encodePin, pinResultFrom, pinStatusFrom } from './pin-status';
import {
  KEY_USAGE_BIT,
  type Odf,
  PIN_TYPE,
  type PinEntry,
  parseAodf,
  parseCdf,
  parsePrkdf,
  parseTokenInfoSerial,
  type PrivateKeyEntry,
} from './pkcs15-asn1';
import type { CardPinStatus, CardProfile, CardSignature, PinOperationResult, ProfileProbe, SignatureRequest } from './profile';
import { computeSignature } from './security-operations';

const EF_TOKEN_INFO = Uint8Array.of(0x50, 0x32);
const INS_VERIFY = 0x20;
const INS_CHANGE_REFERENCE_DATA = 0x24;
const INS_RESET_RETRY_COUNTER = 0x2c;

/** Which PIN guards which key: a nonRepudiation key's PIN is the signature PIN, any other signing key's PIN the authentication PIN. */
function pinRoles(pins: readonly PinEntry[], keyUsages: readonly { authId: Uint8Array | null; usage: ReadonlySet<number> }[]): Map<PinEntry, PinRole> {
  const roles = new Map<PinEntry, PinRole>();
  const puk = pins.find((pin) => pin.unblockingPin) ?? pins.find((pin) => pins.some((other) => other.unblockedBy && equalBytes(other.unblockedBy, pin.authId)));
  if (puk) roles.set(puk, 'puk');
  const userPins = pins.filter((pin) => pin !== puk && !pin.soPin && !pin.unblockingPin);
  const guards = (pin: PinEntry, bit: number): boolean =>
    keyUsages.some((key) => key.authId !== null && equalBytes(key.authId, pin.authId) && key.usage.has(bit));
  for (const pin of userPins) {
    if (guards(pin, KEY_USAGE_BIT.nonRepudiation)) roles.set(pin, 'sign');
    else if (guards(pin, KEY_USAGE_BIT.sign)) roles.set(pin, 'auth');
  }
  // cards without a usable PrKDF: fall back to labels, then to order (authentication PIN first)
  for (const pin of userPins.filter((candidate) => !roles.has(candidate))) {
    const taken = new Set(roles.values());
    const byLabel: PinRole = /sign|underskrift/i.test(pin.label ?? '') ? 'sign' : 'auth';
    const role: PinRole | undefined = !taken.has(byLabel) ? byLabel : !taken.has('auth') ? 'auth' : !taken.has('sign') ? 'sign' : undefined;
    if (role) roles.set(pin, role);
  }
  return roles;
}

class Pkcs15Profile implements CardProfile {
  readonly name = 'pkcs15';
  #pins: Map<PinEntry, PinRole> | null = null;
  #keys: PrivateKeyEntry[] | null = null;
  /** CDF iD of each certificate read (DER as hex): a certificate's key has the same iD in the PrKDF. */
  readonly #certificateIds = new Map<string, Uint8Array>();

  constructor(
    private readonly channel: ApduChannel,
    private readonly app: AppLocation,
    private readonly odf: Odf,
    /** The application's label in EF.DIR. */
    readonly label: string | null,
  ) {}

  async serial(): Promise<string | null> {
    const tokenInfo = await readFile(this.channel, this.app, EF_TOKEN_INFO);
    return tokenInfo ? parseTokenInfoSerial(tokenInfo) : null;
  }

  async certificates(): Promise<Uint8Array[]> {
    const certificates: Uint8Array[] = [];
    for (const cdfPath of this.odf.certificates) {
      const cdf = await this.read(cdfPath.path);
      for (const entry of parseCdf(cdf)) {
        let der: Uint8Array;
        if (entry.location.kind === 'direct') {
          der = entry.location.der;
        } else {
          const { path, offset, length } = entry.location.at;
          const range = length !== null ? { offset: offset ?? 0, length } : undefined;
          const bytes = await this.read(path, range);
          der = range ? bytes : firstTlvBytes(bytes);
        }
        this.#certificateIds.set(toHex(der), entry.id);
        certificates.push(der);
      }
    }
    return certificates;
  }

  async pins(): Promise<CardPinStatus[]> {
    const statuses: CardPinStatus[] = [];
    let selectedDf: string | null = null;
    for (const [pin, role] of await this.pinEntries()) {
      if (pin.reference === null) {
        statuses.push({ role, triesLeft: null, blocked: false });
        continue;
      }
      // PINs usually share one DF: select it once, every APDU costs time at the desk
      const df = toHex(pin.path ?? this.app.path ?? new Uint8Array(0));
      if (df !== selectedDf) await this.selectPinPath(pin);
      selectedDf = df;
      const response = await this.channel.send({ cla: 0, ins: INS_VERIFY, p1: 0, p2: pin.reference });
      statuses.push(pinStatusFrom(role, response.status));
    }
    return statuses;
  }

  async verify(role: Exclude<PinRole, 'puk'>, value: string): Promise<PinOperationResult> {
    const pin = await this.pinFor(role);
    if (!pin || !usable(pin)) return { kind: 'not-supported' };
    const block = encodeFor(pin, value);
    if (!block) return { kind: 'invalid-format' };
    return this.pinCommand(pin, INS_VERIFY, block);
  }

  async change(role: PinRole, current: string, next: string): Promise<PinOperationResult> {
    const pin = await this.pinFor(role);
    if (!pin || !usable(pin)) return { kind: 'not-supported' };
    const oldBlock = encodeFor(pin, current);
    const newBlock = encodeFor(pin, next);
    if (!oldBlock || !newBlock) return { kind: 'invalid-format' };
    return this.pinCommand(pin, INS_CHANGE_REFERENCE_DATA, Uint8Array.from([...oldBlock, ...newBlock]));
  }

  async unblock(role: Exclude<PinRole, 'puk'>, puk: string, next: string): Promise<PinOperationResult> {
    const pin = await this.pinFor(role);
    const pukEntry = await this.pinFor('puk');
    if (!pin || !pukEntry || !usable(pin) || !usable(pukEntry)) return { kind: 'not-supported' };
    const pukBlock = encodeFor(pukEntry, puk);
    const newBlock = encodeFor(pin, next);
    if (!pukBlock || !newBlock) return { kind: 'invalid-format' };
    return this.pinCommand(pin, INS_RESET_RETRY_COUNTER, Uint8Array.from([...pukBlock, ...newBlock]));
  }

  async sign(certificate: Uint8Array, request: SignatureRequest): Promise<CardSignature> {
    if (this.#certificateIds.size === 0) await this.certificates();
    const id = this.#certificateIds.get(toHex(certificate));
    const key = id && (await this.privateKeys()).find((entry) => equalBytes(entry.id, id));
    if (!key || (key.keyReference === null && !key.path)) return { kind: 'not-supported' };
    // like OpenSC: the key's DF is made current, then MSE:SET names the key by reference and file id
    const keyDf = key.path && key.path.length > 2 ? key.path.subarray(0, key.path.length - 2) : this.app.path;
    if (keyDf) await selectPath(this.channel, this.app, keyDf);
    else if (this.app.aid) await selectAid(this.channel, this.app.aid);
    return computeSignature(this.channel, { keyReference: key.keyReference, fileId: key.path?.subarray(-2) ?? null }, request);
  }

  private async pinCommand(pin: PinEntry, ins: number, data: Uint8Array): Promise<PinOperationResult> {
    await this.selectPinPath(pin);
    const response = await this.channel.send({ cla: 0, ins, p1: 0, p2: pin.reference ?? 0, data });
    return pinResultFrom(response.status, response.sw);
  }

  private async pinEntries(): Promise<Map<PinEntry, PinRole>> {
    if (this.#pins) return this.#pins;
    const pins: PinEntry[] = [];
    for (const aodfPath of this.odf.authObjects) pins.push(...parseAodf(await this.read(aodfPath.path)));
    const keys = await this.privateKeys();
    const order: readonly PinRole[] = ['auth', 'sign', 'puk'];
    this.#pins = new Map([...pinRoles(pins, keys)].sort(([, a], [, b]) => order.indexOf(a) - order.indexOf(b)));
    return this.#pins;
  }

  private async privateKeys(): Promise<PrivateKeyEntry[]> {
    if (this.#keys) return this.#keys;
    const keys: PrivateKeyEntry[] = [];
    for (const prkdfPath of this.odf.privateKeys) {
      const prkdf = await readFile(this.channel, this.app, prkdfPath.path);
      if (prkdf) keys.push(...parsePrkdf(prkdf));
    }
    this.#keys = keys;
    return keys;
  }

  private async pinFor(role: PinRole): Promise<PinEntry | undefined> {
    for (const [pin, pinRole] of await this.pinEntries()) if (pinRole === role) return pin;
    return undefined;
  }

  /** PINs are local to their DF; make it current before talking to them. */
  private async selectPinPath(pin: PinEntry): Promise<void> {
    if (pin.path && pin.path.length >= 2) await selectPath(this.channel, this.app, pin.path);
    else if (this.app.path) await selectPath(this.channel, this.app, this.app.path);
  }

  private async read(path: Uint8Array, range?: { offset: number; length: number }): Promise<Uint8Array> {
    const bytes = await readFile(this.channel, this.app, path, range);
    if (!bytes) throw new CardError('card-data-corrupt', 'A file the PKCS#15 directory points to is missing');
    return bytes;
  }
}

/** BCD and other packed PIN encodings are not on SITHS cards; we only send digits as characters. */
const usable = (pin: PinEntry): boolean =>
  pin.reference !== null && (pin.pinType === PIN_TYPE.asciiNumeric || pin.pinType === PIN_TYPE.utf8);

function encodeFor(pin: PinEntry, value: string): Uint8Array | null {
  return encodePin(value, {
    minLength: pin.minLength,
    maxLength: pin.maxLength ?? Math.max(pin.storedLength, pin.minLength),
    storedLength: pin.needsPadding ? pin.storedLength : 0,
    padChar: pin.padChar,
  });
}

export const probePkcs15: ProfileProbe = async (channel) => {
  const found = await findPkcs15Application(channel);
  return found ? new Pkcs15Profile(channel, found.location, found.odf, found.label) : null;
};
