// The station's events as a browser tab gets them (browser mode's server-sent events), kept in order for the bench to look up.
import type { StationEvent } from '@shared/contract';

export class StationEventLog {
  readonly events: StationEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly abort = new AbortController();

  /** `cookie`: a session cookie won with the host's launch token, as a window gets one. */
  static async open(origin: string, cookie: string): Promise<StationEventLog> {
    const log = new StationEventLog();
    const response = await fetch(`${origin}/api/events`, { headers: { cookie }, signal: log.abort.signal });
    if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
    void log.read(response.body).catch(() => {});
    return log;
  }

  /** The first event after position `from` that matches. */
  async find<T extends StationEvent['type']>(from: number, type: T, matches: (event: Extract<StationEvent, { type: T }>) => boolean, timeoutMs = 10_000): Promise<Extract<StationEvent, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find((event) => event.type === type && matches(event as Extract<StationEvent, { type: T }>));
      if (found) return found as Extract<StationEvent, { type: T }>;
      if (Date.now() > deadline) throw new Error(`no ${type} event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let pending = '';
    for await (const chunk of body) {
      pending += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const message = pending.slice(0, end);
        pending = pending.slice(end + 2);
        if (message.startsWith('data: ')) this.events.push(JSON.parse(message.slice('data: '.length)) as StationEvent);
      }
      for (const wake of this.waiters) wake();
      this.waiters.clear();
    }
  }
}
