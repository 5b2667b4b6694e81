// Fixed-window request counters kept in memory (one server process; a restart forgets them): small enough not to need a library.

export interface Limit {
  max: number;
  windowMs: number;
}

export interface RateVerdict {
  allowed: boolean;
  /** Whole seconds until the window that refused this one ends; 0 when allowed. */
  retryAfterSeconds: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    private readonly limit: Limit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request for `key`; refused once the window's count is past the limit. */
  take(key: string): RateVerdict {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.limit.windowMs) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count <= this.limit.max) return { allowed: true, retryAfterSeconds: 0 };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + this.limit.windowMs - now) / 1000)) };
  }

  /** Forgets windows that ended, so addresses and usernames seen once do not pile up. */
  sweep(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (now - window.startedAt >= this.limit.windowMs) this.windows.delete(key);
  }
}
