// "Testa ditt kort": read a card without spending a PIN try and tell staff what is wrong and what to do.
import type { CardPinReport, CardProfileName, CardTestReport } from '@shared/card-report';
import { REMOVED_FINDING, judgeCard } from '@shared/domain/card-verdict';
import { ApduChannel, CardError, type RawTransmit, isCardRemoved, toHex } from './apdu';
import { type KnownCard, identifyAtr } from './card-tables';
import { type CertificateAnalysis, analyzeCertificates } from './certificates';
import { type CardProfile, probeCard } from './profiles/profile';

export interface CardTestOptions {
  readerName: string;
  atr: Uint8Array;
  /** DER certificates the station trusts (roots and, if wanted, issuing CAs). */
  trustedRoots: Uint8Array[];
  /** DER CRLs the station has imported. */
  crls: Uint8Array[];
  now: Date;
  /** How long one APDU may take before the card counts as not answering. */
  responseTimeoutMs?: number;
}

/** Real cards answer a read in well under a second; a card silent this long is not going to answer. */
const DEFAULT_RESPONSE_TIMEOUT_MS = 15_000;

class CardRemoved extends Error {}
class TransmitFailed extends Error {}
class NotResponding extends Error {}

/** Runs one step; a card-data problem is remembered and the test goes on, removal and dead readers stop it. */
async function attempt<T>(step: () => Promise<T>, fallback: T, onCorrupt: () => void): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (isCardRemoved(error)) throw new CardRemoved();
    if (error instanceof CardError && error.code === 'transmit-failed') throw new TransmitFailed();
    if (error instanceof CardError && error.code === 'not-responding') throw new NotResponding();
    // anything else came from parsing what the card sent: its data is bad, not our test
    onCorrupt();
    return fallback;
  }
}

const EMPTY_ANALYSIS: CertificateAnalysis = {
  certificates: [],
  crlFreshness: new Map(),
  holder: { name: null, hsaId: null },
  crlProblems: [],
  issuersWithoutCrl: [],
  corrupt: false,
};

/** Whether the application found is a SITHS one: the ATR table says so, or its label, certificates or holder name SITHS or an HSA-ID. */
function showsSiths(profile: CardProfile, ders: readonly Uint8Array[], analysis: CertificateAnalysis, known: KnownCard | null): boolean {
  if (known?.kind === 'siths' || analysis.holder.hsaId !== null) return true;
  if (profile.label && SITHS_MARK.test(profile.label)) return true;
  // certificates that no longer parse still carry their issuer's name in clear
  return ders.some((der) => SITHS_MARK.test(Buffer.from(der).toString('latin1')));
}
const SITHS_MARK = /SITHS/i;

export async function runCardTest(transmit: RawTransmit, options: CardTestOptions): Promise<CardTestReport> {
  const channel = new ApduChannel(transmit, { responseTimeoutMs: options.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS });
  const known = identifyAtr(toHex(options.atr));
  const identity = { atr: toHex(options.atr), knownCard: known?.name.sv ?? null };
  let profileName: CardProfileName = 'unknown';
  let dataCorrupt = false;
  const markCorrupt = (): void => {
    dataCorrupt = true;
  };
  const base = { reader: options.readerName, atr: toHex(options.atr) };
  try {
    // a card whose answers fit no profile is not a SITHS card, not a damaged one
    const profile: CardProfile | null = await attempt(() => probeCard(channel), null, () => undefined);
    profileName = profile?.name ?? 'unknown';
    const cardSerial = profile ? await attempt(() => profile.serial(), null, markCorrupt) : null;
    const ders = profile ? await attempt(() => profile.certificates(), [], markCorrupt) : [];
    // the certificates are checked while the card answers the PIN questions (asked first, so their command is out)
    const [pins, analysis] = await Promise.all([
      profile ? attempt(() => profile.pins(), [] as CardPinReport[], markCorrupt) : [],
      attempt(() => analyzeCertificates(ders, options), EMPTY_ANALYSIS, markCorrupt),
    ]);
    dataCorrupt ||= analysis.corrupt;
    // the renderer offers PIN services by profile: an application with nothing of SITHS is shown as an unknown card
    const sithsApplication = profile !== null && showsSiths(profile, ders, analysis, known);
    if (!sithsApplication) profileName = 'unknown';
    const { verdict, findings } = judgeCard({
      ...identity,
      sithsApplication,
      profile: profileName,
      certificates: analysis.certificates,
      pins,
      crlProblems: analysis.crlProblems,
      issuersWithoutCrl: analysis.issuersWithoutCrl,
      dataCorrupt,
      transmitFailed: false,
      now: options.now,
    });
    return {
      outcome: 'complete',
      ...base,
      profile: profileName,
      cardSerial,
      holder: analysis.holder,
      certificates: analysis.certificates,
      pins,
      verdict,
      findings,
      apduCount: channel.apduCount,
    };
  } catch (error) {
    const removed = error instanceof CardRemoved;
    const notResponding = error instanceof NotResponding;
    if (!removed && !notResponding && !(error instanceof TransmitFailed)) throw error;
    const judged = removed
      ? { verdict: null, findings: [REMOVED_FINDING] }
      : judgeCard({
          profile: profileName,
          certificates: [],
          pins: [],
          crlProblems: [],
          issuersWithoutCrl: [],
          dataCorrupt: false,
          transmitFailed: !notResponding,
          notResponding,
          now: options.now,
        });
    return {
      outcome: removed ? 'removed' : 'complete',
      ...base,
      profile: profileName,
      cardSerial: null,
      holder: { name: null, hsaId: null },
      certificates: [],
      pins: [],
      ...judged,
      apduCount: channel.apduCount,
    };
  }
}
