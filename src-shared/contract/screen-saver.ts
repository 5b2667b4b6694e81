// The station's screen saver: a text per language that the start screen shows while nobody uses the kiosk; blank for none.
import * as v from 'valibot';
import { noInput, procedure } from './procedure';

export const SCREEN_SAVER_MAX_LENGTH = 300;

export interface ScreenSaverTexts {
  sv: string;
  en: string;
}

/** Fixed messages, since valibot's defaults quote the value. */
const screenSaverText = v.pipe(v.string('a text must be text'), v.maxLength(SCREEN_SAVER_MAX_LENGTH, `a screen saver text is at most ${SCREEN_SAVER_MAX_LENGTH} characters`));

export const screenSaverProcedures = {
  'screenSaver.texts': procedure<ScreenSaverTexts>()(noInput, 'anyone'),
  'screenSaver.save': procedure<ScreenSaverTexts>()(v.strictObject({ sv: screenSaverText, en: screenSaverText }), ['station-admin', 'org-admin']),
} as const;
