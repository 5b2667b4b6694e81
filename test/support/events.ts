// Waits for a station event that matches, so tests react to pcscd instead of sleeping.
import type { StationEvent } from '@shared/contract';
import type { ReaderService } from '../../src-main/card/readers';

export function nextEvent<T extends StationEvent['type']>(
  readers: ReaderService,
  type: T,
  matches: (event: Extract<StationEvent, { type: T }>) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<Extract<StationEvent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      readers.off('event', listener);
      reject(new Error(`no ${type} event within ${timeoutMs} ms`));
    }, timeoutMs);
    function listener(event: StationEvent): void {
      if (event.type !== type || !matches(event as Extract<StationEvent, { type: T }>)) return;
      clearTimeout(timer);
      readers.off('event', listener);
      resolve(event as Extract<StationEvent, { type: T }>);
    }
    readers.on('event', listener);
  });
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
