import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterFailedLogin, afterSuccessfulLogin, lockedUntilAt, LOCKOUT_MINUTES, MAX_FAILED_LOGINS } from '@shared/domain/lockout';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

const now = new Date('2025-03-10T13:20:00Z');
const minutes = (n: number) => n * 60_000;

describe('staff login lockout', () => {
  it('locks on the fifth failure in a row, for fifteen minutes, and starts counting afresh', () => {
    let failed = 0;
    for (let attempt = 1; attempt < MAX_FAILED_LOGINS; attempt++) {
      const next = afterFailedLogin(failed, now);
      expect(next).toEqual({ failedLogins: attempt, lockedUntil: null, lockedNow: false });
      failed = next.failedLogins;
    }
    const fifth = afterFailedLogin(failed, now);
    expect(fifth.lockedNow).toBe(true);
    expect(fifth.failedLogins).toBe(0);
    expect(Date.parse(fifth.lockedUntil!) - now.getTime()).toBe(minutes(LOCKOUT_MINUTES));
  });

  it('is locked until the exact instant and open from then on', () => {
    const state = { failedLogins: 0, lockedUntil: new Date(now.getTime() + minutes(15)).toISOString() };
    expect(lockedUntilAt(state, now)?.toISOString()).toBe(state.lockedUntil);
    expect(lockedUntilAt(state, new Date(now.getTime() + minutes(15) - 1))).not.toBeNull();
    expect(lockedUntilAt(state, new Date(now.getTime() + minutes(15)))).toBeNull();
    expect(lockedUntilAt({ failedLogins: 3, lockedUntil: null }, now)).toBeNull();
  });

  it('a success clears both the count and the lock', () => {
    expect(afterSuccessfulLogin()).toEqual({ failedLogins: 0, lockedUntil: null });
  });

  it('never locks before five failures and always after them, whatever the clock says', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (failures, at) => {
        let state = { failedLogins: 0, lockedNow: false, lockedUntil: null as string | null };
        let locks = 0;
        for (let i = 0; i < failures; i++) {
          state = afterFailedLogin(state.failedLogins, at);
          if (state.lockedNow) locks++;
        }
        expect(locks).toBe(Math.floor(failures / MAX_FAILED_LOGINS));
        expect(state.failedLogins).toBe(failures % MAX_FAILED_LOGINS);
      }),
    );
  }, PROPERTY_BUDGET_MS);
});
