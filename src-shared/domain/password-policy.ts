// Rules for a new account password, as the self-service reset seed states them.
import type { LocalizedText } from './localized-text';

export type PasswordRejectionCode =
  | 'too-short'
  | 'missing-upper-case'
  | 'missing-digit'
  | 'forbidden-letter'
  | 'reused';

export interface NewPasswordContext {
  /** True when the password matches one of the holder's last five; the hashes live elsewhere. */
  isReused: (password: string) => boolean;
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
  if (rejections.length === 0 && ctx.isReused(password)) rejections.push('reused');
  return rejections;
}
