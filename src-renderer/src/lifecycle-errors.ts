// Words a card-lifecycle failure for the staff: the lifecycle's own message if it has one, else the common one.
import type { Composer } from 'vue-i18n';
import { parseMismatchMessage } from '@shared/domain/card-handover';
import { ApiError } from './api';

export function lifecycleErrorText(error: unknown, { t, te }: Pick<Composer, 't' | 'te'>): string {
  const code = error instanceof ApiError ? error.code : 'internal';
  // the server's message is for the log; only its values reach the screen, in the operator's language
  const mismatch = error instanceof ApiError ? parseMismatchMessage(error.message) : null;
  const detail = mismatch ? t('lifecycle.mismatch', { field: t(`lifecycle.mismatchFields.${mismatch.field}`), expected: mismatch.expected, found: mismatch.found }) : '';
  return te(`lifecycle.errors.${code}`) ? t(`lifecycle.errors.${code}`, { detail }) : t(`errors.${code}`);
}
