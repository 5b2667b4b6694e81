// A support trace of one card test: every APDU with its answer, status word and time, PIN bodies masked, as text staff can send on.
import type { RawTransmit } from './apdu';

/** VERIFY, CHANGE REFERENCE DATA and RESET RETRY COUNTER carry PINs and PUKs in their data. */
const SECRET_INSTRUCTIONS = new Set([0x20, 0x24, 0x2c]);
const HEADER_AND_LC = 5;

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1 ');

/** The command as it may be shown: a PIN-carrying command keeps its header and length, its data becomes "**" per byte. */
export function maskedCommand(command: Uint8Array): string {
  if (command.length <= HEADER_AND_LC || !SECRET_INSTRUCTIONS.has(command[1]!)) return hex(command);
  const hidden = Array.from({ length: command.length - HEADER_AND_LC }, () => '**').join(' ');
  return `${hex(command.subarray(0, HEADER_AND_LC))} ${hidden}`;
}

export class ApduTrace {
  readonly #lines: string[] = [];
  #count = 0;

  constructor(header: { reader: string; atr: string; at: Date }) {
    this.#lines.push('Kortstation — spårning av korttest', `Läsare: ${header.reader}`, `ATR: ${header.atr}`, `Start: ${header.at.toISOString()}`, '');
  }

  /** Wraps `transmit` so every exchange through it is written down, failures included. */
  recording(transmit: RawTransmit): RawTransmit {
    return async (command) => {
      const number = ++this.#count;
      const started = performance.now();
      const elapsed = (): string => `${(performance.now() - started).toFixed(1)} ms`;
      this.#lines.push(`#${number} > ${maskedCommand(command)}`);
      try {
        const response = await transmit(command);
        const sw = response.length >= 2 ? hex(response.subarray(response.length - 2)).replace(' ', '') : '----';
        this.#lines.push(`#${number} < ${hex(response)}`, `#${number}   SW ${sw}, ${elapsed()}`);
        return response;
      } catch (error) {
        this.#lines.push(`#${number} ! ${error instanceof Error ? error.message : String(error)}, ${elapsed()}`);
        throw error;
      }
    };
  }

  text(): string {
    return `${this.#lines.join('\n')}\n`;
  }
}
