import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src-main/host/rate-limit';

describe('the in-memory rate limiter', () => {
  it('lets max requests through a window, refuses the next with the seconds left, and opens again when the window ends', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ max: 3, windowMs: 60_000 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('10.0.0.1').allowed)).toEqual([true, true, true]);
    now += 15_000;
    expect(limiter.take('10.0.0.1')).toEqual({ allowed: false, retryAfterSeconds: 45 });
    // another key has a window of its own
    expect(limiter.take('10.0.0.2').allowed).toBe(true);
    now += 45_000;
    expect(limiter.take('10.0.0.1')).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });
});
