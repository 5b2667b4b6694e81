// Turns a failed report, invoice or outbox call into the administrator's language: these screens' texts first, then the kiosk's.
import type { ComposerTranslation } from 'vue-i18n';
import { ApiError } from './api';

export function reportErrorText(t: ComposerTranslation, te: (key: string) => boolean, error: unknown): string {
  const code = error instanceof ApiError ? error.code : 'internal';
  const message = error instanceof ApiError ? error.message : '';
  if (te(`reports.errors.${code}`)) return t(`reports.errors.${code}`, { message });
  return te(`errors.${code}`) ? t(`errors.${code}`) : t('errors.internal');
}
