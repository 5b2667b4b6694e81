// What the station knows about its PC/SC readers, as main reports it to the renderer and the CLI.

export interface ReaderInfo {
  name: string;
  cardPresent: boolean;
  /** ATR in lowercase hex, null when no card is in the reader. */
  atr: string | null;
}

export interface PcscSnapshot {
  serviceUp: boolean;
  readers: ReaderInfo[];
}
