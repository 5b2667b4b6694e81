// The two card tables in resources/: applets that carry PKCS#15 file systems (from OpenSC's drivers) and ATRs we can name.
import appletTable from '../../resources/card-applets.json';
import atrTable from '../../resources/card-atrs.json';

export type KnownCardKind = 'siths' | 'piv' | 'national-eid' | 'bank';

export interface KnownCard {
  kind: KnownCardKind;
  name: { sv: string; en: string };
}

const fromHex = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));

/** Tried in table order when the card's MF does not answer before an applet is selected. */
export const PKCS15_APPLET_AIDS: readonly Uint8Array[] = appletTable.applets.map((applet) => fromHex(applet.aid));

const KNOWN_ATRS = new Map<string, KnownCard>(
  atrTable.cards.map((card) => [card.atr.toLowerCase(), { kind: card.kind as KnownCardKind, name: card.name }]),
);

/** What the ATR (hex, any case) says the card is; null for ATRs not in the table. */
export function identifyAtr(atrHex: string): KnownCard | null {
  return KNOWN_ATRS.get(atrHex.toLowerCase()) ?? null;
}
