// The station's screen saver texts: what an administrator saves through the router is what the start screen reads back, from a real station database, and the save is in the audit trail.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { procedureNames } from '@shared/contract';
import { auditFinishedCalls } from '../../src-main/audit/audited-calls';
import type { OpenRegister } from '../../src-main/db/data-layer';
import { screenSaverHandlers } from '../../src-main/organisation/screen-saver';
import { createRouter, type Handlers, type Router, type Session } from '../../src-main/router';
import { openTestRegister } from '../support/register';

let database: OpenRegister;
let dataDir: string;
let router: Router;
const administrator: Session = { id: 'station-admin', operator: { id: 7, role: 'station-admin', unitIds: [] } };
const holder: Session = { id: 'counter', operator: null };

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kortstation-screen-saver-'));
  database = await openTestRegister(dataDir);
  const unused = Object.fromEntries(procedureNames.map((name) => [name, () => null])) as unknown as Handlers;
  router = createRouter({ ...unused, ...screenSaverHandlers(database) }, { onFinished: auditFinishedCalls(database, async () => 'Akademiska, ingång 70') });
});
afterEach(() => database.close());

describe('the screen saver texts', () => {
  it('are blank on a new station', async () => {
    expect(await router.call(holder, 'screenSaver.texts', {})).toEqual({ ok: true, value: { sv: '', en: '' } });
  });

  it('are read back by the counter as saved, trimmed, and survive reopening the database', async () => {
    const texts = { sv: '  Öppet vardagar 8–16.\nServicedesk 018-611 00 00 ', en: 'Open on weekdays 8–16.' };
    expect(await router.call(administrator, 'screenSaver.save', texts)).toEqual({ ok: true, value: { sv: 'Öppet vardagar 8–16.\nServicedesk 018-611 00 00', en: 'Open on weekdays 8–16.' } });
    await database.close();
    database = await openTestRegister(dataDir);
    expect(await screenSaverHandlers(database)['screenSaver.texts']({}, { session: holder })).toEqual({ sv: 'Öppet vardagar 8–16.\nServicedesk 018-611 00 00', en: 'Open on weekdays 8–16.' });
  });

  it('go blank again when saved blank, and each save is recorded with who made it', async () => {
    await router.call(administrator, 'screenSaver.save', { sv: 'Öppet 8–16.', en: 'Open 8–16.' });
    expect(await router.call(administrator, 'screenSaver.save', { sv: ' ', en: '' })).toEqual({ ok: true, value: { sv: '', en: '' } });
    expect(await database.value("SELECT COUNT(*) AS n FROM setting WHERE key LIKE 'screenSaver.%'")).toBe(0);
    const recorded = await database.all("SELECT actor, outcome, station FROM audit_entry WHERE action = 'screen-saver.saved' ORDER BY id");
    expect(recorded).toEqual([
      { actor: '7', outcome: 'ok', station: 'Akademiska, ingång 70' },
      { actor: '7', outcome: 'ok', station: 'Akademiska, ingång 70' },
    ]);
  });

  it('refuses a text longer than the start screen can show', async () => {
    const reply = await router.call(administrator, 'screenSaver.save', { sv: 'x'.repeat(301), en: '' });
    expect(reply).toMatchObject({ ok: false, code: 'invalid-input' });
  });
});
