// What a reader of the register falls back on while the region database is out of reach: the last answer it gave, so a card test goes on.
import { isConnectionLoss } from './connection-loss';

export function lastKnownWhenLost<T>(read: () => Promise<T>): () => Promise<T> {
  let last: { value: T } | undefined;
  return async () => {
    try {
      const value = await read();
      last = { value };
      return value;
    } catch (error) {
      if (last && isConnectionLoss(error)) return last.value;
      throw error;
    }
  };
}
