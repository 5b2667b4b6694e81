// Rules for a new account password, as the self-service reset seeds state them; the special character (seed 002) is the organisation's choice.
import type { LocalizedText } from './localized-text';

export type PasswordRejectionCode =
  | 'too-short'
  | 'missing-upper-case'
  | 'missing-digit'
  | 'forbidden-letter'
  | 'missing-special'
  | 'reused';

/** What the organisation administrator chooses; everything else in the rules is fixed. */
export interface PasswordRuleSettings {
  requireSpecial: boolean;
}

export const DEFAULT_PASSWORD_RULES: PasswordRuleSettings = { requireSpecial: false };

export interface NewPasswordContext {
  /** True when the password matches any the holder has had; the hashes live elsewhere. */
  isReused: (password: string) => boolean;
  /** One character that is neither a letter nor a digit, when the organisation asks for it. */
  requireSpecial?: boolean;
}

export const PASSWORD_MIN_LENGTH = 8;

export const passwordRejectionMessages: Record<PasswordRejectionCode, LocalizedText> = {
  'too-short': {
    sv: `Lösenordet måste ha minst ${PASSWORD_MIN_LENGTH} tecken.`,
    en: `The password must have at least ${PASSWORD_MIN_LENGTH} characters.`,
  },
  'missing-upper-case': {
    sv: 'Lösenordet måste innehålla minst en stor bokstav.',
    en: 'The password must contain at least one upper-case letter.',
  },
  'missing-digit': {
    sv: 'Lösenordet måste innehålla minst en siffra.',
    en: 'The password must contain at least one digit.',
  },
  'forbidden-letter': {
    sv: 'Lösenordet får inte innehålla å, ä eller ö.',
    en: 'The password must not contain å, ä or ö.',
  },
  'missing-special': {
    sv: 'Lösenordet måste innehålla minst ett specialtecken (till exempel ! # - eller mellanslag).',
    en: 'The password must contain at least one special character (for example ! # - or a space).',
  },
  'reused': {
    sv: 'Du har använt det här lösenordet tidigare. Välj ett nytt.',
    en: 'You have used this password before. Choose a new one.',
  },
};

/**
 * Every reason the password is refused; empty means it is accepted. The reuse check, which
 * costs a hash comparison per old password, only runs once the other rules pass.
 */
export function checkNewPassword(
  password: string,
  ctx: NewPasswordContext,
): PasswordRejectionCode[] {
  // NFC so that an "a" followed by a combining ring counts as the "å" it displays as.
  const composed = password.normalize('NFC');
  const rejections: PasswordRejectionCode[] = [];
  if ([...composed].length < PASSWORD_MIN_LENGTH) rejections.push('too-short');
  if (!/\p{Lu}/u.test(composed)) rejections.push('missing-upper-case');
  if (!/[0-9]/.test(composed)) rejections.push('missing-digit');
  if (/[åäö]/i.test(composed)) rejections.push('forbidden-letter');
  if (ctx.requireSpecial && !/[^\p{L}\p{N}]/u.test(composed)) rejections.push('missing-special');
  if (rejections.length === 0 && ctx.isReused(password)) rejections.push('reused');
  return rejections;
}
