// The edited FAQ texts live in the station's setting table, one row per language and text; no row means the default.
import type BetterSqlite3 from 'better-sqlite3';
import { FAQ_CONTACTS, FAQ_QUESTIONS, type FaqLocale, type FaqTexts, type FaqTextsByLocale } from '@shared/domain/faq';

const settingKey = (locale: FaqLocale, kind: 'answer' | 'contact', name: string): string => `faq.${locale}.${kind}.${name}`;

function readLocale(sqlite: BetterSqlite3.Database, locale: FaqLocale): FaqTexts {
  const read = sqlite.prepare<[string], string>('SELECT value FROM setting WHERE key = ?').pluck();
  const pick = <K extends string>(kind: 'answer' | 'contact', names: readonly K[]): Partial<Record<K, string>> =>
    Object.fromEntries(names.flatMap((name) => {
      const value = read.get(settingKey(locale, kind, name));
      return value === undefined ? [] : [[name, value]];
    })) as Partial<Record<K, string>>;
  return { answers: pick('answer', FAQ_QUESTIONS), contacts: pick('contact', FAQ_CONTACTS) };
}

export function readFaqTexts(sqlite: BetterSqlite3.Database): FaqTextsByLocale {
  return { sv: readLocale(sqlite, 'sv'), en: readLocale(sqlite, 'en') };
}

/** Saves what is given for one language, in one transaction; a blank text removes the row so the default shows again. */
export function saveFaqTexts(sqlite: BetterSqlite3.Database, locale: FaqLocale, edited: FaqTexts): FaqTextsByLocale {
  const upsert = sqlite.prepare('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const remove = sqlite.prepare('DELETE FROM setting WHERE key = ?');
  const rows = [
    ...Object.entries(edited.answers).map(([name, value]) => [settingKey(locale, 'answer', name), value] as const),
    ...Object.entries(edited.contacts).map(([name, value]) => [settingKey(locale, 'contact', name), value] as const),
  ];
  sqlite.transaction(() => {
    for (const [key, value] of rows) {
      const text = (value ?? '').trim();
      if (text === '') remove.run(key);
      else upsert.run(key, text);
    }
  })();
  return readFaqTexts(sqlite);
}
