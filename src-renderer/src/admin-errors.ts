// Turns a failed administration call into the operator's language: the given sections first, then the kiosk's general texts.
import type { ComposerTranslation } from 'vue-i18n';
import { ApiError } from './api';

export function adminErrorText(t: ComposerTranslation, te: (key: string) => boolean, error: unknown, sections: readonly string[]): string {
  const code = error instanceof ApiError ? error.code : 'internal';
  const section = sections.find((name) => te(`${name}.errors.${code}`));
  if (section) return t(`${section}.errors.${code}`);
  return te(`errors.${code}`) ? t(`errors.${code}`) : t('errors.internal');
}

/** The fields an 'invalid-person' refusal names ("email: format; mobile: format"), so the form can say which ones. */
export function invalidPersonFields(error: unknown): { field: string; code: string }[] {
  if (!(error instanceof ApiError) || error.code !== 'invalid-person') return [];
  return error.message
    .split(';')
    .map((part) => part.trim().split(':').map((piece) => piece.trim()))
    .filter((pieces): pieces is [string, string] => pieces.length === 2 && pieces[0] !== '' && pieces[1] !== '')
    .map(([field, code]) => ({ field, code }));
}
