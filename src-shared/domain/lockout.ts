// Staff login lockout: five failed logins in a row close the account for fifteen minutes.

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export interface LockoutState {
  /** Failed logins since the last success or the last lock. */
  failedLogins: number;
  /** ISO instant the lock opens; null when the account is not locked. */
  lockedUntil: string | null;
}

/** The instant the account opens again, or null when it is open at `now`. */
export function lockedUntilAt(state: LockoutState, now: Date): Date | null {
  if (state.lockedUntil === null) return null;
  const until = new Date(state.lockedUntil);
  return until.getTime() > now.getTime() ? until : null;
}

/**
 * The state after one more failure of an open account (a locked one is refused before any check, so never counts);
 * the fifth locks it and the count starts afresh for when it opens.
 */
export function afterFailedLogin(failedLogins: number, now: Date): LockoutState & { lockedNow: boolean } {
  if (failedLogins + 1 < MAX_FAILED_LOGINS) return { failedLogins: failedLogins + 1, lockedUntil: null, lockedNow: false };
  return { failedLogins: 0, lockedUntil: new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString(), lockedNow: true };
}

export const afterSuccessfulLogin = (): LockoutState => ({ failedLogins: 0, lockedUntil: null });
