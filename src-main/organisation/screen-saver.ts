// The screen saver procedures: the texts live in the setting table, one row per language; a blank text removes its row.
import type { ScreenSaverTexts } from '@shared/contract';
import type { Db } from '../db/data-layer';
import { readSetting, removeSetting, writeSetting } from '../db/settings';
import type { Handlers } from '../router';

const SETTING_KEYS: Record<keyof ScreenSaverTexts, string> = { sv: 'screenSaver.sv', en: 'screenSaver.en' };

async function readTexts(db: Db): Promise<ScreenSaverTexts> {
  return { sv: (await readSetting(db, SETTING_KEYS.sv)) ?? '', en: (await readSetting(db, SETTING_KEYS.en)) ?? '' };
}

export function screenSaverHandlers(db: Db): Pick<Handlers, 'screenSaver.texts' | 'screenSaver.save'> {
  return {
    'screenSaver.texts': () => readTexts(db),
    'screenSaver.save': async (texts) => {
      await db.transaction(async () => {
        for (const language of ['sv', 'en'] as const) {
          const text = texts[language].trim();
          if (text === '') await removeSetting(db, SETTING_KEYS[language]);
          else await writeSetting(db, SETTING_KEYS[language], text);
        }
      });
      return readTexts(db);
    },
  };
}
