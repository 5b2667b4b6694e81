// Virtual cards laid out as cards made by others (issue 15): ESIGN AID, SELECT by file id only, applet-first, several applications, real status words.
import { type CardApplet, SW, status, withStatus } from './applet';
import { CardModel } from './card-model';
import { parseCommand } from './command';
import { concat, hex, tlv } from './der';
import { PKCS15_PIN_REFERENCES, Pkcs15Applet, type Pkcs15Options } from './pkcs15-applet';
import { PivApplet } from './piv-applet';
import { type Scenario, SCENARIO_CARD, createModel, createScenario } from './scenarios';

export const LAYOUT_NAMES = [
  /** SetCOS SITHS generation (Telia EID IP5a): the PKCS#15 application under ESIGN, listed in EF.DIR with its path. */
  'esign-siths',
  /** The same, but EF.DIR names the application by AID only (OpenSC then looks in 3F00/5015 and finds nothing). */
  'esign-aid-only',
  /** SELECT by path is refused (6A86): every file is reached one file id at a time from the MF. */
  'select-by-fid-only',
  /** A Java Card applet (OpenSC's IsoApplet) that must be selected before the MF answers: 6986 and 6999 until then. */
  'applet-first',
  /** EF.DIR lists two other applications before the SITHS one. */
  'several-applications',
  /** A blocked PIN answers 63C0, as many cards do, not 6983. */
  'pin-blocked-63c0',
  /** VERIFY without data on the PUK answers 6A88: its tries cannot be read. */
  'puk-tries-unreadable',
  /** A PIV token (YubiKey) that tells PUK tries only through its metadata command (INS F7). */
  'piv-metadata',
  /** A German eID (nPA): an ESIGN application with a PIN and no SITHS certificate. */
  'foreign-eid',
] as const;
export type LayoutName = (typeof LAYOUT_NAMES)[number];

export const LAYOUT_ATRS = {
  setcosSiths: hex('3B 7D 96 00 00 80 31 80 65 B0 A3 11 01 F3 83 00 90 00'),
  yubikey: hex('3B FD 13 00 00 81 31 FE 15 80 73 C0 21 C0 57 59 75 62 69 4B 65 79 40'),
  germanEid: hex('3B 8A 80 01 80 31 B8 73 84 01 E0 82 90 00 06'),
} as const;
export const ESIGN_AID = hex('A0 00 00 01 67 45 53 49 47 4E');
export const ISO_APPLET_AID = hex('F2 76 A2 88 BC FB A6 9D 34 F3 10 01');
/** Applications a multi-application card lists before its PKCS#15 one: a payment-like and an ID application with no ODF. */
const OTHER_APPLICATIONS = [
  tlv(0x61, tlv(0x4f, hex('A0 00 00 00 03 10 10')), tlv(0x50, new TextEncoder().encode('Betalning'))),
  tlv(0x61, tlv(0x4f, hex('D2 76 00 00 01 02')), tlv(0x50, new TextEncoder().encode('ID')), tlv(0x51, hex('3F 00 4F 00'))),
];

const SW_SECURITY_STATUS = 0x6999;
const SW_NO_CURRENT_EF = 0x6986;
const SW_INCORRECT_P1P2 = 0x6a86;
const SW_REFERENCE_NOT_FOUND = 0x6a88;
const PIV_PUK_REFERENCE = 0x81;

/** A card in front of `inner` that rewrites some commands or answers. */
class Rewriting implements CardApplet {
  constructor(
    readonly inner: CardApplet,
    private readonly rewrite: (command: Uint8Array, forward: () => Uint8Array) => Uint8Array,
    private readonly onReset: () => void = () => undefined,
    readonly atr: Uint8Array = inner.atr,
  ) {}
  reset(): void {
    this.onReset();
    this.inner.reset();
  }
  process(command: Uint8Array): Uint8Array {
    return this.rewrite(command, () => this.inner.process(command));
  }
}

const sw = (answer: Uint8Array): number => ((answer[answer.length - 2] ?? 0) << 8) | (answer[answer.length - 1] ?? 0);

function selectByFidOnly(inner: CardApplet): CardApplet {
  return new Rewriting(inner, (bytes, forward) => {
    const command = parseCommand(bytes);
    return command?.ins === 0xa4 && (command.p1 === 0x08 || command.p1 === 0x09) ? status(SW_INCORRECT_P1P2) : forward();
  });
}

function appletFirst(inner: CardApplet): CardApplet {
  let selected = false;
  return new Rewriting(
    inner,
    (bytes, forward) => {
      const command = parseCommand(bytes);
      if (command?.ins === 0xa4 && command.p1 === 0x04 && Buffer.from(command.data).equals(Buffer.from(ISO_APPLET_AID))) {
        selected = true;
        inner.reset();
        return status(SW.OK);
      }
      if (selected) return forward();
      if (command?.ins === 0xa4) return status(command.p1 === 0x04 ? SW_SECURITY_STATUS : SW_NO_CURRENT_EF);
      return status(SW.CONDITIONS_NOT_SATISFIED);
    },
    () => {
      selected = false;
    },
  );
}

function blockedAs63c0(inner: CardApplet): CardApplet {
  return new Rewriting(inner, (_bytes, forward) => {
    const answer = forward();
    return sw(answer) === SW.AUTH_METHOD_BLOCKED ? status(0x63c0) : answer;
  });
}

function pukTriesUnreadable(inner: CardApplet, pukReference: number): CardApplet {
  return new Rewriting(inner, (bytes, forward) => {
    const command = parseCommand(bytes);
    return command?.ins === 0x20 && command.p2 === pukReference && command.data.length === 0 ? status(SW_REFERENCE_NOT_FOUND) : forward();
  });
}

/** YubiKey's GET METADATA for the PUK: 01 algorithm (FF: PIN/PUK), 05 default value, 06 tries total and remaining. */
function pivMetadata(inner: CardApplet, model: CardModel): CardApplet {
  return new Rewriting(pukTriesUnreadable(inner, PIV_PUK_REFERENCE), (bytes, forward) => {
    const command = parseCommand(bytes);
    if (command?.ins !== 0xf7) return forward();
    if (command.p2 !== PIV_PUK_REFERENCE) return status(SW_REFERENCE_NOT_FOUND);
    const tries = Uint8Array.of(model.policy('puk').maxTries, model.triesLeft('puk'));
    return withStatus(concat(tlv(0x01, Uint8Array.of(0xff)), tlv(0x05, Uint8Array.of(0x00)), tlv(0x06, tries)), SW.OK);
  });
}

async function pkcs15Card(name: Parameters<typeof createModel>[0], atr: Uint8Array | null, options: Pkcs15Options = {}): Promise<Scenario & { applet: Pkcs15Applet }> {
  const base = await createScenario(name, 'pkcs15');
  const applet = new Pkcs15Applet(atr ?? base.applet.atr, base.model!, options);
  return { ...base, applet };
}

export async function createLayout(name: LayoutName): Promise<Scenario> {
  switch (name) {
    case 'esign-siths':
      return pkcs15Card('healthy', LAYOUT_ATRS.setcosSiths, { aid: ESIGN_AID });
    case 'esign-aid-only':
      return pkcs15Card('healthy', LAYOUT_ATRS.setcosSiths, { aid: ESIGN_AID, dirPath: false });
    case 'select-by-fid-only': {
      const card = await pkcs15Card('healthy', null);
      return { ...card, applet: selectByFidOnly(card.applet) };
    }
    case 'applet-first': {
      const card = await pkcs15Card('healthy', null);
      return { ...card, applet: appletFirst(card.applet) };
    }
    case 'several-applications':
      return pkcs15Card('healthy', null, { otherApplications: OTHER_APPLICATIONS });
    case 'pin-blocked-63c0': {
      const card = await pkcs15Card('pin-blocked', null);
      return { ...card, applet: blockedAs63c0(card.applet) };
    }
    case 'puk-tries-unreadable': {
      const card = await pkcs15Card('healthy', null);
      return { ...card, applet: pukTriesUnreadable(card.applet, PKCS15_PIN_REFERENCES.puk) };
    }
    case 'piv-metadata': {
      const base = await createScenario('healthy', 'piv');
      return { ...base, applet: pivMetadata(new PivApplet(LAYOUT_ATRS.yubikey, base.model!), base.model!) };
    }
    case 'foreign-eid': {
      const base = await createScenario('healthy', 'pkcs15');
      const healthy = base.model!;
      const pin = (id: 'auth' | 'sign' | 'puk') => ({ ...healthy.toJSON().pins[id], ...healthy.policy(id) });
      const model = new CardModel({ serial: SCENARIO_CARD.serial, certificates: [], pins: { auth: pin('auth'), sign: pin('sign'), puk: pin('puk') } });
      return { ...base, model, applet: new Pkcs15Applet(LAYOUT_ATRS.germanEid, model, { aid: ESIGN_AID, label: 'eSign' }) };
    }
  }
}
