// The FAQ procedures: read by anyone at the kiosk, saved by the organisation administrator (audited by the router).
import type BetterSqlite3 from 'better-sqlite3';
import type { Handlers } from '../router';
import { readFaqTexts, saveFaqTexts } from './faq';

export function faqHandlers(sqlite: BetterSqlite3.Database): Pick<Handlers, 'faq.texts' | 'faq.save'> {
  return {
    'faq.texts': () => readFaqTexts(sqlite),
    'faq.save': ({ locale, answers, contacts }) => saveFaqTexts(sqlite, locale, { answers, contacts }),
  };
}
