// Staff passwords: argon2id hashes only, the shared password rules, and the reuse check against every earlier password.
import { hash, verify, verifySync } from '@node-rs/argon2';
import { checkNewPassword, DEFAULT_PASSWORD_RULES, type PasswordRejectionCode, type PasswordRuleSettings } from '@shared/domain/password-policy';

// argon2id with the library's defaults (19 MiB, 2 passes): OWASP's minimum; Algorithm is an ambient const enum we can't import
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

let decoyHash: Promise<string> | null = null;

/**
 * True when `password` matches `passwordHash`. Without a hash (unknown user, card-only account) a decoy is
 * checked instead, so the answer takes as long and says nothing about which usernames exist.
 */
export async function passwordMatches(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    decoyHash ??= hashPassword('decoy password that no account has');
    await verify(await decoyHash, password);
    return false;
  }
  return verify(passwordHash, password);
}

/** The rules the new password breaks; `history` holds every hash the account has had (newest first). */
export function passwordRejections(password: string, history: readonly string[], rules: PasswordRuleSettings = DEFAULT_PASSWORD_RULES): PasswordRejectionCode[] {
  return checkNewPassword(password, { requireSpecial: rules.requireSpecial, isReused: (candidate) => history.some((old) => verifySync(old, candidate)) });
}
