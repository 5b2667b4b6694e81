// "Vanliga frågor": what the organisation administrator saves is what the kiosk reads back, per language, from a real station database.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenRegister } from '../../src-main/db/open';
import { readFaqTexts, saveFaqTexts } from '../../src-main/faq/faq';
import { openTestRegister } from '../support/register';

let dataDir: string;
let database: OpenRegister;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kortstation-faq-'));
  database = await openTestRegister(dataDir);
});
afterEach(() => database.close());

describe('the FAQ texts', () => {
  it('are all defaults on a new station: nothing edited in either language', async () => {
    expect(await readFaqTexts(database)).toEqual({ sv: { answers: {}, contacts: {} }, en: { answers: {}, contacts: {} } });
  });

  it('reads back what was saved for one language, leaves the other alone, and survives reopening the database', async () => {
    const saved = await saveFaqTexts(database, 'sv', {
      answers: { lostPuk: 'Ring {servicedesk} så hjälper vi dig.' },
      contacts: { servicedesk: '018-611 00 00', raEmail: 'ra@regionuppsala.se' },
    });
    const expected = {
      sv: { answers: { lostPuk: 'Ring {servicedesk} så hjälper vi dig.' }, contacts: { servicedesk: '018-611 00 00', raEmail: 'ra@regionuppsala.se' } },
      en: { answers: {}, contacts: {} },
    };
    expect(saved).toEqual(expected);
    await database.close();
    database = await openTestRegister(dataDir);
    expect(await readFaqTexts(database)).toEqual(expected);
  });

  it('puts the default back for a text saved blank, and keeps the texts not sent', async () => {
    await saveFaqTexts(database, 'en', { answers: { validity: 'Five years.', leaving: 'Cut it in two.' }, contacts: { cardStations: 'Ground floor, 8–16.' } });
    const after = await saveFaqTexts(database, 'en', { answers: { validity: '   ' }, contacts: {} });
    expect(after.en).toEqual({ answers: { leaving: 'Cut it in two.' }, contacts: { cardStations: 'Ground floor, 8–16.' } });
  });
});
