// Two stations handing over the same order at the same moment: exactly one receipt, the other a refusal, one handover in the register.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCardLifecycle } from '../../src-main/cards/lifecycle';
import type { OpenRegister } from '../../src-main/db/open';
import { STATION_NAME_SETTING } from '../../src-main/organisation/station-label';
import { personnummerFor } from '../people-data';
import { SCENARIO_HOLDER, SCENARIO_SERIAL } from '../sim/scenarios';
import { READER_1 } from '../support/pcscd';
import { testedCardInReader1, type TestedCard } from '../support/tested-card';
import { openTestRegister } from '../support/register';

const HERE = 'Akademiska Ing 70';
const ORDER_ID = 1;
const validId = { type: 'pass' as const, lastFour: '12ab', expiry: '2099-12-31', note: null };

let db: OpenRegister;
let counter: TestedCard | undefined;

beforeAll(async () => {
  db = await openTestRegister(mkdtempSync(join(tmpdir(), 'kortstation-handover-race-')));
  const [firstName, surname] = SCENARIO_HOLDER.name.split(' ') as [string, string];
  await db.run('INSERT INTO setting (key, value) VALUES (?, ?)', [STATION_NAME_SETTING, HERE]);
  await db.run("INSERT INTO station (id, name, site, address) VALUES (1, ?, 'Ingång 70', 'Sjukhusvägen 1')", [HERE]);
  await db.run(
    `INSERT INTO person (id, first_name, surname, personnummer, hsa_id, search_name, search_name_reversed, search_personnummer10, created_at, updated_at)
     VALUES (100, ?, ?, ?, ?, '', '', '', '', '')`,
    [firstName, surname, personnummerFor(11), SCENARIO_HOLDER.hsaId],
  );
  await db.run(
    `INSERT INTO card_order (id, person_id, order_date, order_reference, state, card_number, photo_station_id, ready_at, created_at, updated_at)
     VALUES (?, 100, '2026-11-01', 'BEST-1', 'ready', ?, 1, '2026-11-02T08:00:00.000Z', '', '')`,
    [ORDER_ID, SCENARIO_SERIAL],
  );
  // both stations hand over on the counter's finished test, as the kiosk does
  counter = await testedCardInReader1();
});

afterAll(async () => {
  await counter?.stop();
  await db?.close();
});

describe('handing over one order from two stations at once', () => {
  it('gives one station the receipt and the other "already handed over", with one handover event and audit entry', async () => {
    // two stations' services on the one register, each with its own staff member at the counter
    const stations = [1, 2].map(() => createCardLifecycle({ db, cardTests: counter!.cardTests }));
    const results = await Promise.allSettled(
      stations.map((lifecycle, index) => lifecycle.handover({ orderId: ORDER_ID, reader: READER_1, idDocument: validId }, { actor: String(index + 1), scope: { kind: 'all' } })),
    );
    const outcomes = results.map((result) => (result.status === 'fulfilled' ? result.value.kind : (result.reason as { code: string }).code)).sort();
    expect(outcomes).toEqual(['card-already-done', 'handover']);
    expect(await db.value('SELECT state FROM card_order WHERE id = ?', [ORDER_ID])).toBe('handed-over');
    expect(await db.value("SELECT count(*) FROM card_event WHERE order_id = ? AND action = 'hand-over'", [ORDER_ID])).toBe(1);
    expect(await db.value("SELECT count(*) FROM audit_entry WHERE action = 'card.hand-over' AND outcome = 'ok'")).toBe(1);
  });
});
