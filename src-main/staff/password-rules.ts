// The organisation's choice in the password rules (a special character or not), kept in the register's settings, and the check every new password passes.
import { DEFAULT_PASSWORD_RULES, passwordRejectionMessages, type PasswordRuleSettings } from '@shared/domain/password-policy';
import { AppError } from '../app-error';
import type { Db } from '../db/data-layer';
import { readSetting, writeSetting } from '../db/settings';
import { hashPassword, passwordRejections } from './passwords';
import type { StaffStore } from './store';

export const REQUIRE_SPECIAL_SETTING = 'password.require-special';

export async function readPasswordRules(db: Db): Promise<PasswordRuleSettings> {
  const requireSpecial = await readSetting(db, REQUIRE_SPECIAL_SETTING);
  return requireSpecial === undefined ? DEFAULT_PASSWORD_RULES : { requireSpecial: requireSpecial === 'true' };
}

export async function savePasswordRules(db: Db, rules: PasswordRuleSettings): Promise<PasswordRuleSettings> {
  await writeSetting(db, REQUIRE_SPECIAL_SETTING, String(rules.requireSpecial));
  return readPasswordRules(db);
}

/** The argon2id hash of a password that meets the rules and was never this account's before; a Swedish refusal otherwise. */
export async function acceptedPasswordHash(db: Db, store: StaffStore, staffId: number | null, password: string): Promise<string> {
  const history = staffId === null ? [] : await store.passwordHistory(staffId);
  const rejections = passwordRejections(password, history, await readPasswordRules(db));
  if (rejections.includes('reused')) throw new AppError('password-reused', passwordRejectionMessages.reused.sv);
  if (rejections.length > 0) throw new AppError('password-too-weak', rejections.map((code) => passwordRejectionMessages[code].sv).join(' '));
  return hashPassword(password);
}
