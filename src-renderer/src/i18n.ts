// vue-i18n with Swedish first; the JIT message compiler keeps the strict CSP (no eval).
import { createI18n } from 'vue-i18n';
import { en } from '@shared/i18n/en';
import { sv, type Messages } from '@shared/i18n/sv';

export const LOCALES = ['sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: 'sv',
  fallbackLocale: 'sv',
  messages: { sv, en },
});
