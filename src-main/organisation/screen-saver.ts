// The screen saver procedures: the texts live in the setting table, one row per language; a blank text removes its row.
import type { Kysely } from 'kysely';
import type { ScreenSaverTexts } from '@shared/contract';
import type { Database } from '../db/schema';
import type { Handlers } from '../router';

const SETTING_KEYS: Record<keyof ScreenSaverTexts, string> = { sv: 'screenSaver.sv', en: 'screenSaver.en' };

async function readTexts(db: Kysely<Database>): Promise<ScreenSaverTexts> {
  const rows = await db.selectFrom('setting').select(['key', 'value']).where('key', 'in', Object.values(SETTING_KEYS)).execute();
  const valueOf = (key: string): string => rows.find((row) => row.key === key)?.value ?? '';
  return { sv: valueOf(SETTING_KEYS.sv), en: valueOf(SETTING_KEYS.en) };
}

export function screenSaverHandlers(db: Kysely<Database>): Pick<Handlers, 'screenSaver.texts' | 'screenSaver.save'> {
  return {
    'screenSaver.texts': () => readTexts(db),
    'screenSaver.save': async (texts) => {
      await db.transaction().execute(async (transaction) => {
        for (const language of ['sv', 'en'] as const) {
          const text = texts[language].trim();
          if (text === '') await transaction.deleteFrom('setting').where('key', '=', SETTING_KEYS[language]).execute();
          else await transaction.insertInto('setting').values({ key: SETTING_KEYS[language], value: text }).onConflict((conflict) => conflict.column('key').doUpdateSet({ value: text })).execute();
        }
      });
      return readTexts(db);
    },
  };
}
