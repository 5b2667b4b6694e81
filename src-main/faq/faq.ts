// The edited FAQ texts live in the station's setting table, one row per language and text; no row means the default.
import { FAQ_CONTACTS, FAQ_QUESTIONS, type FaqLocale, type FaqTexts, type FaqTextsByLocale } from '@shared/domain/faq';
import type { Db } from '../db/data-layer';
import { readSetting, removeSetting, writeSetting } from '../db/settings';

const settingKey = (locale: FaqLocale, kind: 'answer' | 'contact', name: string): string => `faq.${locale}.${kind}.${name}`;

async function readLocale(db: Db, locale: FaqLocale): Promise<FaqTexts> {
  const pick = async <K extends string>(kind: 'answer' | 'contact', names: readonly K[]): Promise<Partial<Record<K, string>>> => {
    const entries: [K, string][] = [];
    for (const name of names) {
      const value = await readSetting(db, settingKey(locale, kind, name));
      if (value !== undefined) entries.push([name, value]);
    }
    return Object.fromEntries(entries) as Partial<Record<K, string>>;
  };
  return { answers: await pick('answer', FAQ_QUESTIONS), contacts: await pick('contact', FAQ_CONTACTS) };
}

export async function readFaqTexts(db: Db): Promise<FaqTextsByLocale> {
  return { sv: await readLocale(db, 'sv'), en: await readLocale(db, 'en') };
}

/** Saves what is given for one language, in one transaction; a blank text removes the row so the default shows again. */
export async function saveFaqTexts(db: Db, locale: FaqLocale, edited: FaqTexts): Promise<FaqTextsByLocale> {
  const rows = [
    ...Object.entries(edited.answers).map(([name, value]) => [settingKey(locale, 'answer', name), value] as const),
    ...Object.entries(edited.contacts).map(([name, value]) => [settingKey(locale, 'contact', name), value] as const),
  ];
  await db.transaction(async () => {
    for (const [key, value] of rows) {
      const text = (value ?? '').trim();
      if (text === '') await removeSetting(db, key);
      else await writeSetting(db, key, text);
    }
  });
  return readFaqTexts(db);
}
