// "Vanliga frågor": what the organisation administrator saves is what the kiosk reads back, per language, from a real station database.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '../../src-main/db/open';
import { readFaqTexts, saveFaqTexts } from '../../src-main/faq/faq';

let database: OpenDatabase;

beforeEach(async () => {
  database = await openDatabase(join(mkdtempSync(join(tmpdir(), 'kortstation-faq-')), 'kortstation.sqlite'));
});
afterEach(() => database.close());

describe('the FAQ texts', () => {
  it('are all defaults on a new station: nothing edited in either language', () => {
    expect(readFaqTexts(database.sqlite)).toEqual({ sv: { answers: {}, contacts: {} }, en: { answers: {}, contacts: {} } });
  });

  it('reads back what was saved for one language, leaves the other alone, and survives reopening the database', async () => {
    const saved = saveFaqTexts(database.sqlite, 'sv', {
      answers: { lostPuk: 'Ring {servicedesk} så hjälper vi dig.' },
      contacts: { servicedesk: '018-611 00 00', raEmail: 'ra@regionuppsala.se' },
    });
    const expected = {
      sv: { answers: { lostPuk: 'Ring {servicedesk} så hjälper vi dig.' }, contacts: { servicedesk: '018-611 00 00', raEmail: 'ra@regionuppsala.se' } },
      en: { answers: {}, contacts: {} },
    };
    expect(saved).toEqual(expected);
    const file = database.sqlite.name;
    await database.close();
    database = await openDatabase(file);
    expect(readFaqTexts(database.sqlite)).toEqual(expected);
  });

  it('puts the default back for a text saved blank, and keeps the texts not sent', () => {
    saveFaqTexts(database.sqlite, 'en', { answers: { validity: 'Five years.', leaving: 'Cut it in two.' }, contacts: { cardStations: 'Ground floor, 8–16.' } });
    const after = saveFaqTexts(database.sqlite, 'en', { answers: { validity: '   ' }, contacts: {} });
    expect(after.en).toEqual({ answers: { leaving: 'Cut it in two.' }, contacts: { cardStations: 'Ground floor, 8–16.' } });
  });
});
