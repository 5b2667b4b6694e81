// Turns a failed token call into the operator's language: the token texts first, then the kiosk's general ones.
import type { ComposerTranslation } from 'vue-i18n';
import { wordTokenRefusalDetail } from '@shared/i18n/token-files';
import { ApiError } from './api';

export function tokenErrorText(t: ComposerTranslation, te: (key: string) => boolean, error: unknown): string {
  const code = error instanceof ApiError ? error.code : 'internal';
  const message = error instanceof ApiError ? wordTokenRefusalDetail((key, values) => t(key, values ?? {}), code, error.message) : '';
  if (te(`tokens.errors.${code}`)) return t(`tokens.errors.${code}`, { message });
  return te(`errors.${code}`) ? t(`errors.${code}`) : t('errors.internal');
}
