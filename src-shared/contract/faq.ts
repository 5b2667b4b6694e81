// "Vanliga frågor": the holder reads them at the kiosk without login; the organisation administrator edits them.
import * as v from 'valibot';
import { FAQ_CONTACTS, FAQ_LOCALES, FAQ_QUESTIONS, type FaqTextsByLocale } from '../domain/faq';
import { noInput, procedure } from './procedure';

/** An empty text puts the kiosk's default back; fixed messages, since valibot's defaults quote the value. */
const editedText = v.pipe(v.string('a text must be text'), v.maxLength(2000, 'a text is at most 2000 characters'));
const textsOf = <const K extends readonly string[]>(keys: K) => v.partial(v.strictObject(Object.fromEntries(keys.map((key) => [key, editedText])) as Record<K[number], typeof editedText>));

export const faqProcedures = {
  'faq.texts': procedure<FaqTextsByLocale>()(noInput, 'anyone'),
  'faq.save': procedure<FaqTextsByLocale>()(
    v.strictObject({ locale: v.picklist(FAQ_LOCALES), answers: textsOf(FAQ_QUESTIONS), contacts: textsOf(FAQ_CONTACTS) }),
    ['org-admin'],
  ),
} as const;
