// A handover decides on the order as it read it before the card was checked; when another counter hands the same card over in between, the write sees the order changed, reads it again under lock and refuses: one handover, one event, one audit row, on both engines.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardTestReport } from '@shared/card-report';
import { createCardLifecycle, type Caller } from '../../src-main/cards/lifecycle';
import type { CardTestService } from '../../src-main/cards/card-tests';
import type { OpenRegister } from '../../src-main/db/data-layer';
import { FULL_SCOPE } from '../../src-main/organisation/organisation';
import { STATION_NAME_SETTING } from '../../src-main/organisation/station-label';
import { personnummerFor } from '../people-data';
import { openTestRegister } from '../support/register';

const HERE = 'Akademiska Ing 70';
const ORDER_ID = 7;
const CARD_NUMBER = '9752000000000000777';
const READER = 'Virtual PCD 00 01';
const caller: Caller = { actor: '1', scope: FULL_SCOPE };
const idDocument = { type: 'pass' as const, lastFour: '12ab', expiry: '2099-12-31', note: null };

// what the counter's card test reports for the person's own card, whole and valid
const report: CardTestReport = {
  outcome: 'complete',
  reader: READER,
  atr: '3b00',
  profile: 'pkcs15',
  cardSerial: CARD_NUMBER,
  holder: { name: 'Anna Andersson', hsaId: 'SE2321000016-1234' },
  certificates: [],
  pins: [],
  verdict: 'ok',
  findings: [],
  apduCount: 0,
};
const tested = (): ReturnType<CardTestService['results']> => [{ reader: READER, state: 'done', report }] as ReturnType<CardTestService['results']>;

let db: OpenRegister;

beforeAll(async () => {
  db = await openTestRegister(mkdtempSync(join(tmpdir(), 'kortstation-stale-read-')));
  await db.run('INSERT INTO setting (key, value) VALUES (?, ?)', [STATION_NAME_SETTING, HERE]);
  await db.run("INSERT INTO station (id, name, site, address) VALUES (1, ?, 'Ingång 70', 'Sjukhusvägen 1')", [HERE]);
  await db.run(
    `INSERT INTO person (id, first_name, surname, personnummer, hsa_id, search_name, search_name_reversed, search_personnummer10, created_at, updated_at)
     VALUES (100, 'Anna', 'Andersson', ?, 'SE2321000016-1234', '', '', '', '', '')`,
    [personnummerFor(12)],
  );
  await db.run(
    `INSERT INTO card_order (id, person_id, order_date, order_reference, state, card_number, photo_station_id, ready_at, created_at, updated_at)
     VALUES (?, 100, '2026-11-01', 'BEST-1', 'ready', ?, 1, '2026-11-02T08:00:00.000Z', '', '2026-11-02T08:00:00.000Z')`,
    [ORDER_ID, CARD_NUMBER],
  );
});

afterAll(async () => {
  await db?.close();
});

describe('a handover whose order another counter handed over after it was read', () => {
  it('is refused as already done, and the card is handed over once', async () => {
    const otherCounter = createCardLifecycle({ db, cardTests: { results: tested, run: async () => report } });
    // this counter had no finished test: while its card is read, the other counter hands the same order over
    const thisCounter = createCardLifecycle({
      db,
      cardTests: {
        results: () => [],
        run: async () => {
          await otherCounter.handover({ orderId: ORDER_ID, reader: READER, idDocument }, caller);
          return report;
        },
      },
    });
    await expect(thisCounter.handover({ orderId: ORDER_ID, reader: READER, idDocument }, caller)).rejects.toMatchObject({ code: 'card-already-done' });
    expect(await db.value<string>('SELECT state FROM card_order WHERE id = ?', [ORDER_ID])).toBe('handed-over');
    expect(await db.value<number>("SELECT count(*) FROM card_event WHERE order_id = ? AND action = 'hand-over'", [ORDER_ID])).toBe(1);
    expect(await db.value<number>("SELECT count(*) FROM audit_entry WHERE action = 'card.hand-over' AND outcome = 'ok'")).toBe(1);
  });
});
