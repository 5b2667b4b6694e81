// Whether the region database answers: probed while it is lost (and now and then while it is not), so the counter is told at once and the station notices by itself when it is back.
import { EventEmitter } from 'node:events';
import type { Db } from './data-layer';
import { isConnectionLoss } from './connection-loss';

export interface RegisterHealth {
  reachable(): boolean;
  /** A query failed for want of the server: say so now and probe often until it answers. */
  noteLost(): void;
  onChange(listener: (reachable: boolean) => void): () => void;
  stop(): void;
}

export interface RegisterHealthOptions {
  /** How often a reachable register is probed, so a dropped network shows before anyone tries to save. */
  healthyIntervalMs?: number;
  /** How often a lost register is probed until it answers. */
  lostIntervalMs?: number;
}

/**
 * Asks the register for a sign of life before an operation whose record must follow it, e.g. a PIN change on the card:
 * throws the connection error (the router's "register-unavailable") so the card is not changed unaudited.
 */
export async function ensureRegisterAnswers(db: Db): Promise<void> {
  await db.value('SELECT 1 AS alive');
}

/** The station's own SQLite file is never out of reach. */
export const ALWAYS_REACHABLE: RegisterHealth = { reachable: () => true, noteLost: () => {}, onChange: () => () => {}, stop: () => {} };

export function watchRegister(db: Db, { healthyIntervalMs = 15_000, lostIntervalMs = 2_000 }: RegisterHealthOptions = {}): RegisterHealth {
  if (db.engine === 'sqlite') return ALWAYS_REACHABLE;
  const changes = new EventEmitter();
  let reachable = true;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const set = (now: boolean): void => {
    if (now === reachable) return;
    reachable = now;
    changes.emit('change', now);
  };
  const schedule = (): void => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void probe(), reachable ? healthyIntervalMs : lostIntervalMs);
    timer.unref();
  };
  const probe = async (): Promise<void> => {
    try {
      await db.value('SELECT 1 AS alive');
      set(true);
    } catch (error) {
      // a query error that is not about the connection still means the server answered
      set(!isConnectionLoss(error));
    }
    schedule();
  };
  schedule();
  return {
    reachable: () => reachable,
    noteLost() {
      set(false);
      schedule();
    },
    onChange(listener) {
      changes.on('change', listener);
      return () => changes.off('change', listener);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
