// Finds the card's PKCS#15 application as OpenSC does: EF.DIR's applications, known AIDs, 3F00/5015, then applets that hide the MF until selected.
import { type ApduChannel, CardError, toHex } from '../apdu';
import { PKCS15_APPLET_AIDS } from '../card-tables';
import { type AppLocation, readFileOutcome, selectAid } from './iso-files';
import { type DirApplication, type Odf, parseDir, parseOdf } from './pkcs15-asn1';

export const PKCS15_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x00, 0x63, 0x50, 0x4b, 0x43, 0x53, 0x2d, 0x31, 0x35);
/** "ESIGN" (DIN 66291, German eID cards, some SetCOS SITHS generations). */
export const ESIGN_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x01, 0x67, 0x45, 0x53, 0x49, 0x47, 0x4e);
/** ISO/IEC 7816-15 application identifier prefix, selected as a partial DF name. */
export const ISO_7816_15_AID_PREFIX = Uint8Array.of(0xe8, 0x28, 0xbd, 0x08, 0x0f);
const KNOWN_AIDS = [PKCS15_AID, ESIGN_AID, ISO_7816_15_AID_PREFIX] as const;
const EF_DIR = Uint8Array.of(0x3f, 0x00, 0x2f, 0x00);
const EF_ODF = Uint8Array.of(0x50, 0x31);
/** Where OpenSC's pkcs15-init puts the application when a card has no EF.DIR. */
const DEFAULT_APP_PATH = Uint8Array.of(0x3f, 0x00, 0x50, 0x15);

export interface FoundApplication {
  location: AppLocation;
  odf: Odf;
  /** The application's label in EF.DIR, when listed there. */
  label: string | null;
}

/** Bytes that do not parse while looking mean "not this application"; only removal and dead readers stop the search. */
async function orNull<T>(step: () => Promise<T>): Promise<T | null> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof CardError && error.code === 'card-data-corrupt') return null;
    throw error;
  }
}

/** An application counts as PKCS#15 when its ODF parses, whatever its AID. By path first, then by AID. */
async function tryApplication(channel: ApduChannel, listed: DirApplication): Promise<FoundApplication | null> {
  const attempts: AppLocation[] = [];
  if (listed.path && listed.path.length >= 2) attempts.push({ aid: listed.aid, path: listed.path });
  if (listed.aid) attempts.push({ aid: listed.aid, path: null });
  for (const location of attempts) {
    const odf = await orNull(async () => {
      const read = await readFileOutcome(channel, location, EF_ODF);
      return read.kind === 'ok' ? parseOdf(read.bytes) : null;
    });
    if (odf && odf.certificates.length + odf.authObjects.length + odf.privateKeys.length > 0) return { location, odf, label: listed.label };
  }
  return null;
}

interface Search {
  found: FoundApplication | null;
  /** EF.DIR's selection was refused rather than answered "not found": the MF is not there until an applet is selected. */
  mfRefused: boolean;
}

async function search(channel: ApduChannel, candidatesAfterDir: readonly DirApplication[]): Promise<Search> {
  const dir = await orNull(() => readFileOutcome(channel, { aid: null, path: null }, EF_DIR));
  const listed = dir?.kind === 'ok' ? ((await orNull(async () => parseDir(dir.bytes))) ?? []) : [];
  const tried = new Set<string>();
  for (const application of [...listed, ...candidatesAfterDir]) {
    const key = `${application.aid ? toHex(application.aid) : ''}/${application.path ? toHex(application.path) : ''}`;
    if (tried.has(key)) continue;
    tried.add(key);
    const found = await tryApplication(channel, application);
    if (found) return { found, mfRefused: false };
  }
  return { found: null, mfRefused: dir?.kind === 'refused' };
}

const byAid = (aid: Uint8Array): DirApplication => ({ aid, label: null, path: null });
const byPath = (path: Uint8Array): DirApplication => ({ aid: null, label: null, path });

export async function findPkcs15Application(channel: ApduChannel): Promise<FoundApplication | null> {
  const first = await search(channel, [...KNOWN_AIDS.map(byAid), byPath(DEFAULT_APP_PATH)]);
  if (first.found || !first.mfRefused) return first.found;
  for (const aid of PKCS15_APPLET_AIDS) {
    const selected = await selectAid(channel, aid);
    if (selected.status.kind !== 'ok') continue;
    // selecting another AID would leave this applet, so only its own MF and the applet itself are searched
    const inApplet = await search(channel, [byPath(DEFAULT_APP_PATH), byAid(aid)]);
    if (inApplet.found) return inApplet.found;
  }
  return null;
}
