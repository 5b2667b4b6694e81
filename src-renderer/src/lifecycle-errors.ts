// Words a card-lifecycle failure for the staff: the lifecycle's own message if it has one, else the common one.
import type { Composer } from 'vue-i18n';
import { ApiError } from './api';

export function lifecycleErrorText(error: unknown, { t, te }: Pick<Composer, 't' | 'te'>): string {
  const code = error instanceof ApiError ? error.code : 'internal';
  const detail = error instanceof ApiError ? error.message : '';
  return te(`lifecycle.errors.${code}`) ? t(`lifecycle.errors.${code}`, { detail }) : t(`errors.${code}`);
}
