// The FAQ procedures: read by anyone at the kiosk, saved by the organisation administrator (audited by the router).
import type { Db } from '../db/data-layer';
import type { Handlers } from '../router';
import { readFaqTexts, saveFaqTexts } from './faq';

export function faqHandlers(db: Db): Pick<Handlers, 'faq.texts' | 'faq.save'> {
  return {
    'faq.texts': () => readFaqTexts(db),
    'faq.save': ({ locale, answers, contacts }) => saveFaqTexts(db, locale, { answers, contacts }),
  };
}
