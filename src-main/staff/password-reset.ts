// "Glömt lösenord": a 6-digit code by SMS to the registered mobile (10 minutes, 5 tries), then unlock and keep the password or choose a new one; one answer for every username.
import { AppError } from '../app-error';
import type { Db } from '../db/data-layer';
import { queueSms } from '../mail/outbox';
import type { DataKeySource } from '../tokens/seed-crypto';
import { acceptedPasswordHash } from './password-rules';
import { digestsEqual, newResetCode, secretDigest } from './secret-digest';
import type { StaffStore } from './store';

export const RESET_CODE_VALID_MINUTES = 10;
export const RESET_CODE_TRIES = 5;
/** Codes one account may be sent per hour: enough for a lost SMS, too few to flood the phone or the gateway bill. */
export const RESET_CODES_PER_HOUR = 3;
const MINUTE_MS = 60_000;

export interface PasswordResetDeps {
  db: Db;
  store: StaffStore;
  dataKey: DataKeySource;
  now: () => Date;
  audit: (actor: string | null, action: string, outcome: 'ok' | 'refused', details: Record<string, string | number>) => Promise<void>;
  /** Called once a code is queued: the person is waiting at the screen for it. */
  codeQueued?: () => void;
}

export type ResetChoice = { choice: 'unlock' } | { choice: 'new-password'; newPassword: string };

interface ResetCodeRow {
  id: number;
  code_digest: string;
  failed_tries: number;
}

// the same words for an unknown username, a wrong, expired, used or dead code
const invalidCode = (): AppError => new AppError('reset-code-invalid', 'Koden stämmer inte eller gäller inte längre. Begär en ny kod.');

export function createPasswordReset(deps: PasswordResetDeps) {
  const { db, store, dataKey, now } = deps;
  const digestOf = (staffId: number, code: string): string => secretDigest(dataKey, 'reset-code', String(staffId), code);

  async function queueCode(username: string): Promise<{ requested: true }> {
    const account = await store.byUsername(username.trim().toLowerCase());
    if (!account) {
      await deps.audit(null, 'auth.reset-code-requested', 'refused', { reason: 'unknown-user' });
      return { requested: true };
    }
    const actor = String(account.id);
    if (account.disabled || !account.mobile) {
      await deps.audit(actor, 'auth.reset-code-requested', 'refused', { reason: account.disabled ? 'account-disabled' : 'no-mobile' });
      return { requested: true };
    }
    const mobile = account.mobile;
    const at = now();
    const code = newResetCode();
    await db.transaction(async () => {
      const hourAgo = new Date(at.getTime() - 60 * MINUTE_MS).toISOString();
      const recent = (await db.value<number>('SELECT count(*) FROM staff_reset_code WHERE staff_id = ? AND requested_at > ?', [account.id, hourAgo])) ?? 0;
      if (Number(recent) >= RESET_CODES_PER_HOUR) {
        await deps.audit(actor, 'auth.reset-code-requested', 'refused', { reason: 'rate-limited' });
        return;
      }
      // a new code replaces any earlier one
      await db.run('UPDATE staff_reset_code SET ended_at = ? WHERE staff_id = ? AND ended_at IS NULL', [at.toISOString(), account.id]);
      await db.run('INSERT INTO staff_reset_code (staff_id, code_digest, requested_at, expires_at) VALUES (?, ?, ?, ?)', [
        account.id,
        digestOf(account.id, code),
        at.toISOString(),
        new Date(at.getTime() + RESET_CODE_VALID_MINUTES * MINUTE_MS).toISOString(),
      ]);
      await queueSms(db, {
        to: mobile,
        label: 'SMS: kod för att låsa upp kontot',
        text: `Din kod för att låsa upp ditt konto i Kortstationen: ${code}\nKoden gäller i ${RESET_CODE_VALID_MINUTES} minuter. Ge den aldrig till någon annan.`,
        template: 'reset-code',
        at,
        sealWith: dataKey,
      });
      await deps.audit(actor, 'auth.reset-code-requested', 'ok', {});
    });
    return { requested: true };
  }

  return {
    /** Sends a code when the account exists, is enabled, has a mobile and is under the hourly limit; says nothing of which. */
    async request(username: string): Promise<{ requested: true }> {
      const answer = await queueCode(username);
      deps.codeQueued?.();
      return answer;
    },

    /** Checks the code (a wrong one spends a try) and unlocks, with the owner's new password when chosen. */
    async reset(username: string, code: string, choice: ResetChoice): Promise<{ unlocked: true }> {
      const account = await store.byUsername(username.trim().toLowerCase());
      if (!account) {
        await deps.audit(null, 'auth.reset-code-used', 'refused', { reason: 'unknown-user' });
        throw invalidCode();
      }
      const actor = String(account.id);
      // the outcome comes out of the transaction so a wrong code's spent try is kept, not rolled back with a thrown error
      const outcome = await db.transaction(async (): Promise<'ok' | 'invalid'> => {
        const at = now().toISOString();
        const live = await db.one<ResetCodeRow>('SELECT id, code_digest, failed_tries FROM staff_reset_code WHERE staff_id = ? AND ended_at IS NULL AND expires_at > ? ORDER BY id DESC', [
          account.id,
          at,
        ]);
        if (!live) {
          await deps.audit(actor, 'auth.reset-code-used', 'refused', { reason: 'no-live-code' });
          return 'invalid';
        }
        if (!digestsEqual(live.code_digest, digestOf(account.id, code))) {
          const tries = live.failed_tries + 1;
          await db.run('UPDATE staff_reset_code SET failed_tries = ?, ended_at = ? WHERE id = ?', [tries, tries >= RESET_CODE_TRIES ? at : null, live.id]);
          await deps.audit(actor, 'auth.reset-code-used', 'refused', { reason: 'wrong-code', failedTries: tries });
          return 'invalid';
        }
        // a refused new password throws here and rolls back nothing but itself: the code stays usable
        if (choice.choice === 'new-password') await store.setPassword(account.id, await acceptedPasswordHash(db, store, account.id, choice.newPassword), at, true);
        await db.run('UPDATE staff_reset_code SET ended_at = ? WHERE id = ?', [at, live.id]);
        await store.setLockout(account.id, 0, null);
        await deps.audit(actor, 'auth.reset-code-used', 'ok', { choice: choice.choice });
        return 'ok';
      });
      if (outcome === 'invalid') throw invalidCode();
      return { unlocked: true };
    },
  };
}

export type PasswordReset = ReturnType<typeof createPasswordReset>;
