// Live PC/SC readers over pcsclite: hot-plug, card events, and reconnection when pcscd comes and goes.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { connect as connectSocket } from 'node:net';
import type { CardReader, PCSCLite } from 'pcsclite';
import { loadPcsclite } from './pcsclite-loader';
import type { PcscSnapshot, ReaderInfo } from '@shared/readers';
import type { StationEvent } from '@shared/contract';
import { eventTime } from '@shared/event-time';
import { withReaderConnection, type ConnectionOptions, type ReaderTransmit } from './reader-connection';
import { ReaderError } from './reader-error';
import { isVirtualReader } from './virtual-readers';

const SCARD_STATE_PRESENT = 0x20;
const RECONNECT_DELAY_MS = 1000;
// loaded at the first start, so a host that never starts readers (server mode) never loads the PC/SC library
let pcsclite: ReturnType<typeof loadPcsclite> | undefined;
/** pcsclite's own error does not always arrive when pcscd dies mid-call; its socket answering is the second opinion. */
const PCSCD_SOCKET = process.env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm';
const WATCHDOG_MS = 2000;
/** Longer than pcscd's card presence poll (400 ms for vpcd and most USB drivers). */
const REMOVAL_GRACE_MS = 1000;
/** How long `ready()` waits for pcscd to list readers before answering with what it has. */
const READY_TIMEOUT_MS = 2000;

export interface ReaderServiceOptions {
  /** Virtual readers (vpcd) only for tests and training: on a station they are a reader anyone on the network can drive. */
  allowVirtualReaders: boolean;
}

export class ReaderService extends EventEmitter<{ event: [StationEvent] }> {
  private context: PCSCLite | null = null;
  private readonly readers = new Map<string, { reader: CardReader; info: ReaderInfo }>();
  private readonly busyReaders = new Set<string>();
  private serviceUp = false;
  private stopped = true;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private readonly readyWaiters: Array<() => void> = [];
  /** Refused readers stay open until the context closes: closing one alone leaves pcsclite's context unable to close. */
  private readonly refusedReaders = new Map<string, CardReader>();

  constructor(private readonly options: ReaderServiceOptions) {
    super();
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.dropContext({ closeNative: true });
  }

  snapshot(): PcscSnapshot {
    return { serviceUp: this.serviceUp, readers: [...this.readers.values()].map(({ info }) => ({ ...info })) };
  }

  /** Resolves when pcscd has been asked once and every listed reader has reported its first status. */
  ready(): Promise<PcscSnapshot> {
    if (this.isSettled()) return Promise.resolve(this.snapshot());
    return new Promise((resolve) => {
      const timer = setTimeout(done, READY_TIMEOUT_MS);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        resolve(self.snapshot());
      }
      this.readyWaiters.push(done);
    });
  }

  /** Runs `work` on a SHARED connection to the card in `readerName`; one operation per reader at a time. */
  async withCard<T>(readerName: string, work: (transmit: ReaderTransmit) => Promise<T>, options: ConnectionOptions = {}): Promise<T> {
    const entry = this.readers.get(readerName);
    if (!entry) throw new ReaderError('reader-not-found', `No reader named "${readerName}"`);
    if (!entry.info.cardPresent) throw new ReaderError('no-card', `No card in "${readerName}"`);
    if (this.busyReaders.has(readerName)) throw new ReaderError('reader-busy', `Reader "${readerName}" is busy`);
    this.busyReaders.add(readerName);
    try {
      return await withReaderConnection(entry.reader, (transmit) => work(this.noticingRemoval(readerName, transmit)), options);
    } finally {
      this.busyReaders.delete(readerName);
    }
  }

  /**
   * Some readers (vpcd among them) answer a pulled card with a generic transaction failure or a cut answer until
   * pcscd's next presence poll; such a failure followed by the card leaving within that time is reported as removal.
   */
  private noticingRemoval(readerName: string, transmit: ReaderTransmit): ReaderTransmit {
    return async (command) => {
      let response: Uint8Array;
      try {
        response = await transmit(command);
      } catch (error) {
        if (!(error instanceof ReaderError) || error.code !== 'transmit-failed' || !(await this.cardLeaves(readerName))) throw error;
        throw new ReaderError('card-removed', 'The card was removed', { cause: error });
      }
      // a card pulled mid-answer can leave a response without its status word
      if (response.length < 2 && (await this.cardLeaves(readerName))) throw new ReaderError('card-removed', 'The card was removed');
      return response;
    };
  }

  private cardLeaves(readerName: string): Promise<boolean> {
    if (!this.readers.get(readerName)?.info.cardPresent) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), REMOVAL_GRACE_MS);
      const listener = (event: StationEvent): void => {
        const gone = (event.type === 'card-removed' && event.reader === readerName) || (event.type === 'reader-removed' && event.name === readerName);
        if (gone) finish(true);
      };
      const finish = (gone: boolean): void => {
        clearTimeout(timer);
        this.off('event', listener);
        resolve(gone);
      };
      this.on('event', listener);
    });
  }

  private settledOnce = false;

  private isSettled(): boolean {
    return this.settledOnce && [...this.readers.values()].every(({ reader }) => reader.state !== undefined);
  }

  private notifyIfSettled(): void {
    if (!this.isSettled()) return;
    for (const waiter of this.readyWaiters.splice(0)) waiter();
  }

  private connect(): void {
    if (this.stopped) return;
    let context: PCSCLite;
    try {
      pcsclite ??= loadPcsclite();
      context = pcsclite();
    } catch {
      this.markDown();
      return;
    }
    this.context = context;
    context.on('reader', (reader) => this.addReader(reader));
    context.on('error', () => {
      if (this.context !== context) return;
      this.dropContext({ closeNative: false });
      this.markDown();
    });
    // pcsclite lists readers on the next tick; an empty list produces no event, so settle after that.
    setTimeout(() => {
      if (this.context !== context) return;
      this.setServiceUp(true);
      this.settledOnce = true;
      this.notifyIfSettled();
    }, 100);
    if (existsSync(PCSCD_SOCKET)) {
      this.watchdog = setInterval(() => this.checkSocket(context), WATCHDOG_MS);
      this.watchdog.unref();
    }
  }

  private checkSocket(context: PCSCLite): void {
    const socket = connectSocket(PCSCD_SOCKET);
    socket.once('connect', () => socket.destroy());
    socket.once('error', () => {
      if (this.context !== context) return;
      this.dropContext({ closeNative: false });
      this.markDown();
    });
  }

  private markDown(): void {
    this.setServiceUp(false);
    this.settledOnce = true;
    this.notifyIfSettled();
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, RECONNECT_DELAY_MS);
  }

  private setServiceUp(up: boolean): void {
    if (this.serviceUp === up) return;
    this.serviceUp = up;
    this.emit('event', { type: 'pcsc-service', up });
  }

  /**
   * Forgets the PC/SC context and its readers. pcsclite's close() joins its native status threads on the main
   * thread, which blocks for good when pcscd died under them; their threads end by themselves then, so close()
   * is only called on a deliberate stop while pcscd is there.
   */
  private dropContext({ closeNative }: { closeNative: boolean }): void {
    const context = this.context;
    this.context = null;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    for (const name of [...this.readers.keys()]) this.removeReader(name, closeNative);
    if (closeNative) for (const reader of this.refusedReaders.values()) reader.close();
    this.refusedReaders.clear();
    if (!context) return;
    context.removeAllListeners();
    // close() cancels the pending status call, which reports one last error we no longer care about.
    context.on('error', () => {});
    if (closeNative) context.close();
  }

  private addReader(reader: CardReader): void {
    this.setServiceUp(true);
    if (isVirtualReader(reader.name) && !this.options.allowVirtualReaders) {
      this.refuseReader(reader);
      return;
    }
    const info: ReaderInfo = { name: reader.name, cardPresent: false, atr: null };
    this.readers.set(reader.name, { reader, info });
    this.emit('event', { type: 'reader-added', reader: { ...info } });
    reader.on('error', () => {});
    // 'end' comes when the reader's native thread has finished, so there is nothing left to close
    reader.on('end', () => this.removeReader(reader.name, false));
    reader.on('status', ({ state, atr }) => {
      const at = eventTime();
      const present = (state & SCARD_STATE_PRESENT) !== 0;
      reader.state = state;
      if (present !== info.cardPresent) {
        info.cardPresent = present;
        info.atr = present && atr ? atr.toString('hex') : null;
        this.emit('event', present && info.atr !== null
          ? { type: 'card-inserted', reader: reader.name, atr: info.atr, at }
          : { type: 'card-removed', reader: reader.name, at });
      }
      this.notifyIfSettled();
    });
  }

  private refuseReader(reader: CardReader): void {
    reader.on('error', () => {});
    if (this.refusedReaders.has(reader.name)) return;
    this.refusedReaders.set(reader.name, reader);
    console.warn(`Refused the virtual card reader "${reader.name}": start with --allow-virtual-readers for tests or training only.`);
  }

  private removeReader(name: string, closeNative: boolean): void {
    const entry = this.readers.get(name);
    if (!entry) return;
    this.readers.delete(name);
    entry.reader.removeAllListeners();
    entry.reader.on('error', () => {});
    if (closeNative) entry.reader.close();
    if (entry.info.cardPresent) this.emit('event', { type: 'card-removed', reader: name, at: eventTime() });
    this.emit('event', { type: 'reader-removed', name });
  }
}
