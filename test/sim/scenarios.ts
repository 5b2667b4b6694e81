// Named test cards: each scenario is one card model in a PKCS#15 or PIV personality, plus the trust material a station would hold.
import { type CardApplet, SW, status } from './applet';
import { CardModel, type CardCertificate, type CardMutableState, type CertificateSlot, type PinId } from './card-model';
import { type CardKeyPair, type KeyAlgorithm, generateCardKeyPair } from './card-keys';
import { parseCommand } from './command';
import { hex } from './der';
import { Pkcs15Applet, type Pkcs15Options } from './pkcs15-applet';
import { PivApplet } from './piv-applet';
import { type PersonCertificateSpec, testPki } from './pki';

export const SCENARIO_NAMES = [
  'healthy',
  'auth-expiring',
  'sign-expired',
  'sign-missing',
  'pin-blocked',
  'puk-blocked',
  'revoked',
  'untrusted-issuer',
  'not-siths',
  /** The healthy holder's certificates on a card whose keys are someone else's: what an attacker can copy. */
  'copied-certificate',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
export type Personality = 'pkcs15' | 'piv';

export const SCENARIO_PINS: Readonly<Record<PinId, string>> = { auth: '123456', sign: '654321', puk: '12345678' };
export const SCENARIO_HOLDER = { name: 'Anna Testsson', hsaId: 'SE2321000016-1a2b' } as const;
export const SCENARIO_SERIAL = '97522690000012345678';
export const REVOKED_SERIAL = '7e00000000000000000000000000bad1';
export const MAX_PIN_TRIES = 3;
export const MAX_PUK_TRIES = 10;

/** ATR with T=1 and the given historical bytes; the check byte TCK closes it. */
function atrWith(historical: string): Uint8Array {
  const body = [0x80 | historical.length, 0x80, 0x01, ...new TextEncoder().encode(historical)];
  const tck = body.reduce((x, byte) => x ^ byte, 0);
  return Uint8Array.from([0x3b, ...body, tck]);
}

export const ATRS = {
  pkcs15: atrWith('KSTATION15'),
  piv: atrWith('KSTATIONPV'),
  unknown: hex('3B 68 00 00 00 73 C8 40 12 00 90 00'),
} as const;

export interface Scenario {
  name: ScenarioName;
  personality: Personality;
  applet: CardApplet;
  /** null for the card that isn't a SITHS card. */
  model: CardModel | null;
  trustedRoots: Uint8Array[];
  crls: Uint8Array[];
}

/** Whose card it is: the number on the card and the holder its certificates name. */
export interface CardIdentity {
  serial: string;
  holder: { name: string; hsaId: string };
}

export const SCENARIO_CARD: CardIdentity = { serial: SCENARIO_SERIAL, holder: SCENARIO_HOLDER };

export interface ScenarioOptions {
  now?: Date;
  /** Another person's card; Anna Testsson's by default. */
  card?: CardIdentity;
  /** Counters and PIN values from a state file. */
  state?: CardMutableState;
  pkcs15?: Pkcs15Options;
  /** The card's key pairs: EC P-256 unless asked (SITHS cards carry RSA 2048, which is slower to make and read). */
  keyAlgorithm?: KeyAlgorithm;
}

interface Certificates {
  auth: CardCertificate | null;
  sign: CardCertificate | null;
}

const keyPairs = new Map<string, Promise<CardKeyPair>>();

/** One key pair per owner, slot and algorithm in a process: RSA key generation is the slow part. */
function keyPair(owner: 'holder' | 'copier', slot: CertificateSlot, algorithm: KeyAlgorithm): Promise<CardKeyPair> {
  const key = `${owner}/${slot}/${algorithm}`;
  let pair = keyPairs.get(key);
  if (!pair) keyPairs.set(key, (pair = generateCardKeyPair(algorithm)));
  return pair;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A card that is not SITHS: it knows none of our applications. */
class UnknownCardApplet implements CardApplet {
  readonly atr = ATRS.unknown;
  reset(): void {}
  process(command: Uint8Array): Uint8Array {
    const parsed = parseCommand(command);
    if (!parsed) return status(SW.WRONG_LENGTH);
    return status(parsed.ins === 0xa4 ? SW.FILE_NOT_FOUND : SW.INS_NOT_SUPPORTED);
  }
}

async function certificatesFor(name: ScenarioName, now: Date, holder: CardIdentity['holder'], algorithm: KeyAlgorithm): Promise<Certificates> {
  const pki = await testPki();
  const at = (days: number, hours = 0): Date => new Date(now.getTime() + days * DAY_MS + hours * HOUR_MS);
  const holderKeys = { auth: await keyPair('holder', 'auth', algorithm), sign: await keyPair('holder', 'sign', algorithm) };
  const spec = (usage: CertificateSlot, notAfter = at(1000)): PersonCertificateSpec => ({
    holder,
    usage,
    notBefore: at(-365),
    notAfter,
    publicKey: holderKeys[usage].publicKey,
  });
  const owner = name === 'copied-certificate' ? 'copier' : 'holder';
  const privateKey = async (slot: CertificateSlot) => (await keyPair(owner, slot, algorithm)).privateKey;
  const issue = name === 'untrusted-issuer' ? pki.issueUntrusted : pki.issue;
  const authSpec = name === 'auth-expiring' ? spec('auth', at(40, 1)) : spec('auth');
  if (name === 'revoked') authSpec.serialNumber = REVOKED_SERIAL;
  const signSpec = name === 'sign-expired' ? { ...spec('sign', at(-10)), notBefore: at(-1100) } : spec('sign');
  return {
    auth: { slot: 'auth', label: 'Legitimering', der: await issue(authSpec), privateKey: await privateKey('auth') },
    sign: name === 'sign-missing' ? null : { slot: 'sign', label: 'Underskrift', der: await issue(signSpec), privateKey: await privateKey('sign') },
  };
}

function triesFor(name: ScenarioName, pin: PinId): number {
  if (name === 'pin-blocked' && pin === 'auth') return 0;
  if (name === 'puk-blocked' && pin === 'puk') return 0;
  return pin === 'puk' ? MAX_PUK_TRIES : MAX_PIN_TRIES;
}

export async function createModel(
  name: Exclude<ScenarioName, 'not-siths'>,
  now = new Date(),
  { card = SCENARIO_CARD, keyAlgorithm = 'ec-p256' }: { card?: CardIdentity; keyAlgorithm?: KeyAlgorithm } = {},
): Promise<CardModel> {
  const certificates = await certificatesFor(name, now, card.holder, keyAlgorithm);
  const pin = (id: PinId) => ({
    value: SCENARIO_PINS[id],
    triesLeft: triesFor(name, id),
    maxTries: id === 'puk' ? MAX_PUK_TRIES : MAX_PIN_TRIES,
    minLength: id === 'puk' ? 8 : 6,
    maxLength: 8,
  });
  return new CardModel({
    serial: card.serial,
    certificates: [certificates.auth, certificates.sign].filter((cert): cert is CardCertificate => cert !== null),
    pins: { auth: pin('auth'), sign: pin('sign'), puk: pin('puk') },
  });
}

export async function createScenario(name: ScenarioName, personality: Personality = 'pkcs15', options: ScenarioOptions = {}): Promise<Scenario> {
  const now = options.now ?? new Date();
  const pki = await testPki();
  const crl = await pki.crl({ thisUpdate: new Date(now.getTime() - DAY_MS), nextUpdate: new Date(now.getTime() + 6 * DAY_MS), revokedSerials: [REVOKED_SERIAL] });
  const trust = { trustedRoots: [pki.rootDer, pki.issuingCaDer], crls: [crl] };
  if (name === 'not-siths') return { name, personality, applet: new UnknownCardApplet(), model: null, ...trust };
  const model = await createModel(name, now, { card: options.card, keyAlgorithm: options.keyAlgorithm });
  if (options.state) model.restore(options.state);
  const applet = personality === 'piv' ? new PivApplet(ATRS.piv, model) : new Pkcs15Applet(ATRS.pkcs15, model, options.pkcs15);
  return { name, personality, applet, model, ...trust };
}
