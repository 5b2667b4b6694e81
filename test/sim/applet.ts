// The behaviour of a virtual card, apart from the vpcd socket that carries it.

/** A card as the reader sees it: an ATR and a command → response function. */
export interface CardApplet {
  readonly atr: Uint8Array;
  /** Power off or reset: volatile state (selected file, verified PINs) is cleared, counters are kept. */
  reset(): void;
  /** One command APDU in, response data followed by SW1 SW2 out. */
  process(command: Uint8Array): Uint8Array;
}

export const SW = {
  OK: 0x9000,
  WRONG_LENGTH: 0x6700,
  SECURITY_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

export function withStatus(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}

export const status = (sw: number): Uint8Array => withStatus(new Uint8Array(0), sw);
