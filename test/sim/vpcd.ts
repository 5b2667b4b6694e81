// vsmartcard's vpcd wire protocol has no npm client: a 2-byte length-framed TCP stream is small enough to write.
import { Socket } from 'node:net';
import { eventTime } from '@shared/event-time';
import type { CardApplet } from './applet';

export const VPCD_BASE_PORT = 35963;

const CONTROL = { POWER_OFF: 0x00, POWER_ON: 0x01, RESET: 0x02, GET_ATR: 0x04 } as const;
/** pcscd notices a removal at its next presence poll (~400 ms); a card put back sooner can go unseen. */
const REINSERT_PAUSE_MS = 1000;
const removedAt = new Map<number, number>();

export interface InsertOptions {
  reader?: number;
  host?: string;
  /** Called with every command APDU, for APDU counts in tests and benchmarks. */
  onCommand?: (command: Uint8Array) => void;
  /** true leaves the command unanswered, as a card gone mute does; pcscd then waits until the card is removed. */
  silentTo?: (command: Uint8Array) => boolean;
}

export interface InsertedCard {
  readonly reader: number;
  /** When the socket to vpcd was up (epoch ms, as the station's event times), for benchmarks. */
  readonly connectedAt: number;
  /** Resolves once the socket is closed, which vpcd reports to pcscd as removal. */
  remove(): Promise<void>;
  /** Resolves when vpcd has hung up (pcscd stopped). */
  readonly closed: Promise<void>;
}

function frame(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(payload.length + 2);
  out.writeUInt16BE(payload.length, 0);
  out.set(payload, 2);
  return out;
}

/** vpcd sometimes misses a client that connects soon after the last one left; pcscd powers a card it sees at once. */
const SEEN_TIMEOUT_MS = 3000;
const INSERT_ATTEMPTS = 3;

/** Plugs an applet into virtual reader `reader` (0 → "Virtual PCD 00 00"); resolves once pcscd has powered the card. */
export async function insertCard(applet: CardApplet, options: InsertOptions = {}): Promise<InsertedCard> {
  const reader = options.reader ?? 0;
  for (let attempt = 1; ; attempt++) {
    const sinceRemoval = Date.now() - (removedAt.get(reader) ?? 0);
    if (sinceRemoval < REINSERT_PAUSE_MS) await new Promise((resolve) => setTimeout(resolve, REINSERT_PAUSE_MS - sinceRemoval));
    const { card, seen } = await connect(applet, reader, options);
    const wasSeen = await Promise.race([seen.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), SEEN_TIMEOUT_MS))]);
    if (wasSeen || attempt === INSERT_ATTEMPTS) return card;
    await card.remove();
  }
}

function connect(applet: CardApplet, reader: number, options: InsertOptions): Promise<{ card: InsertedCard; seen: Promise<void> }> {
  const socket = new Socket();
  socket.setNoDelay(true);
  let pending = Buffer.alloc(0);
  let markSeen!: () => void;
  const seen = new Promise<void>((resolve) => (markSeen = resolve));

  const answer = (message: Buffer): void => {
    markSeen();
    if (message.length === 1) {
      const control = message[0];
      if (control === CONTROL.GET_ATR) socket.write(frame(applet.atr));
      else applet.reset();
      return;
    }
    options.onCommand?.(message);
    if (options.silentTo?.(message)) return;
    socket.write(frame(applet.process(message)));
  };

  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 2) {
      const length = pending.readUInt16BE(0);
      if (pending.length < 2 + length) break;
      answer(pending.subarray(2, 2 + length));
      pending = pending.subarray(2 + length);
    }
  });

  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      removedAt.set(reader, Date.now());
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(VPCD_BASE_PORT + reader, options.host ?? '127.0.0.1', () => {
      socket.off('error', reject);
      socket.on('error', () => socket.destroy());
      resolve({
        seen,
        card: {
          reader,
          connectedAt: eventTime(),
          closed,
          remove: async () => {
            socket.destroy();
            await closed;
          },
        },
      });
    });
  });
}
