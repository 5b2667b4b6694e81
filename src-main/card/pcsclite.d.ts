// pcsclite ships no types: the subset Kortstation uses.
declare module 'pcsclite' {
  import type { EventEmitter } from 'node:events';

  export interface ReaderStatus {
    state: number;
    atr?: Buffer;
  }

  export interface CardReader extends EventEmitter {
    readonly name: string;
    state: number;
    connected: boolean;
    readonly SCARD_SHARE_SHARED: number;
    readonly SCARD_LEAVE_CARD: number;
    readonly SCARD_STATE_PRESENT: number;
    readonly SCARD_STATE_EMPTY: number;
    connect(options: { share_mode?: number; protocol?: number }, callback: (error: Error | undefined, protocol: number) => void): void;
    disconnect(disposition: number, callback: (error?: Error) => void): void;
    transmit(data: Buffer, responseLength: number, protocol: number, callback: (error: Error | undefined, data: Buffer) => void): void;
    close(): void;
    on(event: 'status', listener: (status: ReaderStatus) => void): this;
    on(event: 'end', listener: () => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }

  export interface PCSCLite extends EventEmitter {
    readers: Record<string, CardReader>;
    close(): void;
    on(event: 'reader', listener: (reader: CardReader) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }

  export default function pcsclite(): PCSCLite;
}
