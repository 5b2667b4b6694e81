// Hand-written: ISO 7816-4 command encoding and the 61xx/6Cxx dance are a few dozen lines and no maintained JS library does them over a plain transmit function.

/** One command to the card and its raw answer (data followed by SW1 SW2). Throws CardError. */
export type RawTransmit = (command: Uint8Array) => Promise<Uint8Array>;

export type CardErrorCode = 'card-removed' | 'transmit-failed' | 'card-data-corrupt' | 'not-responding';

export class CardError extends Error {
  constructor(
    readonly code: CardErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CardError';
  }
}

/** True for our CardError and for any reader error carrying code 'card-removed'. */
export function isCardRemoved(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'card-removed';
}

export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data?: Uint8Array;
  /** Expected response length 1..65536; absent when no data is expected. */
  readonly le?: number;
}

export type CardStatus =
  | { kind: 'ok' }
  | { kind: 'end-of-file' }
  | { kind: 'tries-left'; triesLeft: number }
  | { kind: 'blocked' }
  | { kind: 'security-not-satisfied' }
  | { kind: 'conditions-not-satisfied' }
  | { kind: 'not-found' }
  | { kind: 'wrong-length' }
  | { kind: 'wrong-data' }
  | { kind: 'wrong-parameters' }
  | { kind: 'not-supported' }
  | { kind: 'more-data'; available: number }
  | { kind: 'wrong-le'; exact: number }
  | { kind: 'error' };

export interface ResponseApdu {
  readonly data: Uint8Array;
  readonly sw: number;
  readonly status: CardStatus;
}

export function interpretStatus(sw: number): CardStatus {
  const sw1 = sw >> 8;
  const sw2 = sw & 0xff;
  if (sw === 0x9000) return { kind: 'ok' };
  if (sw1 === 0x61) return { kind: 'more-data', available: sw2 === 0 ? 256 : sw2 };
  if (sw1 === 0x6c) return { kind: 'wrong-le', exact: sw2 === 0 ? 256 : sw2 };
  if (sw === 0x6282) return { kind: 'end-of-file' };
  if (sw1 === 0x63 && (sw2 & 0xf0) === 0xc0) return { kind: 'tries-left', triesLeft: sw2 & 0x0f };
  switch (sw) {
    case 0x6983:
      return { kind: 'blocked' };
    case 0x6982:
      return { kind: 'security-not-satisfied' };
    case 0x6985:
      return { kind: 'conditions-not-satisfied' };
    case 0x6a82:
    case 0x6a88:
      return { kind: 'not-found' };
    case 0x6700:
      return { kind: 'wrong-length' };
    case 0x6a80:
      return { kind: 'wrong-data' };
    case 0x6a86:
    case 0x6b00:
      return { kind: 'wrong-parameters' };
    case 0x6a81:
    case 0x6d00:
    case 0x6e00:
      return { kind: 'not-supported' };
    default:
      return { kind: 'error' };
  }
}

const SHORT_MAX_DATA = 255;
const SHORT_MAX_LE = 256;
const EXTENDED_MAX = 65536;

/** ISO 7816-4 encoding; switches to extended length only when data or Le don't fit the short form. */
export function encodeCommand(command: CommandApdu): Uint8Array {
  const data = command.data ?? new Uint8Array(0);
  const le = command.le;
  if (data.length > EXTENDED_MAX - 1) throw new RangeError('command data too long');
  if (le !== undefined && (le < 1 || le > EXTENDED_MAX)) throw new RangeError('Le out of range');
  const extended = data.length > SHORT_MAX_DATA || (le !== undefined && le > SHORT_MAX_LE);
  const bytes = [command.cla, command.ins, command.p1, command.p2];
  if (!extended) {
    if (data.length > 0) bytes.push(data.length, ...data);
    if (le !== undefined) bytes.push(le === SHORT_MAX_LE ? 0 : le);
    return Uint8Array.from(bytes);
  }
  bytes.push(0);
  if (data.length > 0) bytes.push(data.length >> 8, data.length & 0xff, ...data);
  if (le !== undefined) {
    const encoded = le === EXTENDED_MAX ? 0 : le;
    bytes.push(encoded >> 8, encoded & 0xff);
  }
  return Uint8Array.from(bytes);
}

const MAX_RESPONSE_BYTES = 65536;
// a card that answers 61xx with no data would otherwise keep us asking forever
const MAX_CHAINED_RESPONSES = 300;
const INS_GET_RESPONSE = 0xc0;

/** A card conversation: follows 61xx with GET RESPONSE, repeats once on 6Cxx with the Le the card asked for, counts APDUs. */
export class ApduChannel {
  #apduCount = 0;

  /** responseTimeoutMs: how long one APDU may take before the card counts as not answering; none by default. */
  constructor(
    private readonly rawTransmit: RawTransmit,
    private readonly options: { responseTimeoutMs?: number } = {},
  ) {}

  get apduCount(): number {
    return this.#apduCount;
  }

  async send(command: CommandApdu): Promise<ResponseApdu> {
    let response = await this.exchange(encodeCommand(command));
    if (response.status.kind === 'wrong-le') {
      response = await this.exchange(encodeCommand({ ...command, le: response.status.exact }));
    }
    const chunks: Uint8Array[] = [response.data];
    let total = response.data.length;
    while (response.status.kind === 'more-data') {
      if (total > MAX_RESPONSE_BYTES || chunks.length > MAX_CHAINED_RESPONSES) throw new CardError('card-data-corrupt', 'Card response chain too long');
      const getResponse = { cla: command.cla & 0x03, ins: INS_GET_RESPONSE, p1: 0, p2: 0, le: response.status.available };
      response = await this.exchange(encodeCommand(getResponse));
      chunks.push(response.data);
      total += response.data.length;
    }
    return { data: concatBytes(chunks), sw: response.sw, status: response.status };
  }

  private async exchange(encoded: Uint8Array): Promise<ResponseApdu> {
    this.#apduCount += 1;
    let raw: Uint8Array;
    try {
      raw = await this.withDeadline(this.rawTransmit(encoded));
    } catch (error) {
      if (error instanceof CardError) throw error;
      if (isCardRemoved(error)) throw new CardError('card-removed', 'Card removed', { cause: error });
      throw new CardError('transmit-failed', 'Transmit failed', { cause: error });
    }
    if (raw.length < 2) throw new CardError('card-data-corrupt', 'Card answered without a status word');
    const sw = ((raw[raw.length - 2] ?? 0) << 8) | (raw[raw.length - 1] ?? 0);
    return { data: raw.slice(0, raw.length - 2), sw, status: interpretStatus(sw) };
  }

  private withDeadline(answer: Promise<Uint8Array>): Promise<Uint8Array> {
    const limit = this.options.responseTimeoutMs;
    if (limit === undefined) return answer;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CardError('not-responding', 'The card did not answer')), limit);
    });
    return Promise.race([answer, deadline]).finally(() => clearTimeout(timer));
  }
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
