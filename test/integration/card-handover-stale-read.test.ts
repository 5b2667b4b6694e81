// A handover decides on the order (and on PostgreSQL on its station's audit chain) as it read them before the card was checked: when another counter hands the same card over in between, it is refused; when the station's trail grows in between, it is still written once, after the newer row; on both engines.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardTestReport } from '@shared/card-report';
import { appendAudit } from '../../src-main/audit/audit';
import { verifyAudit } from '../../src-main/audit/verify';
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
const SECOND_ORDER_ID = 8;
const SECOND_CARD_NUMBER = '9752000000000000888';
const BLOCKED_ORDER_ID = 9;
const BLOCKED_CARD_NUMBER = '9752000000000000999';
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
  // three ready cards for her, photographed here
  for (const [id, cardNumber] of [[ORDER_ID, CARD_NUMBER], [SECOND_ORDER_ID, SECOND_CARD_NUMBER], [BLOCKED_ORDER_ID, BLOCKED_CARD_NUMBER]] as const) {
    await db.run(
      `INSERT INTO card_order (id, person_id, order_date, order_reference, state, card_number, photo_station_id, ready_at, created_at, updated_at)
       VALUES (?, 100, '2026-11-01', ?, 'ready', ?, 1, '2026-11-02T08:00:00.000Z', '', '2026-11-02T08:00:00.000Z')`,
      [id, `BEST-${id}`, cardNumber],
    );
  }
  // the station's trail has begun, as every station's has once it joined
  await appendAudit(db, { station: HERE, actor: null, action: 'station.joined', outcome: 'ok' });
});

afterAll(async () => {
  await db?.close();
});

/** A counter with no finished card test: `meanwhile` happens while it reads the card, after it has read the order. */
function counterWhere(meanwhile: () => Promise<unknown>, card: CardTestReport) {
  return createCardLifecycle({
    db,
    cardTests: {
      results: () => [],
      run: async () => {
        await meanwhile();
        return card;
      },
    },
  });
}

describe('a handover whose order another counter handed over after it was read', () => {
  it('is refused as already done, and the card is handed over once', async () => {
    const otherCounter = createCardLifecycle({ db, cardTests: { results: tested, run: async () => report } });
    // this counter had no finished test: while its card is read, the other counter hands the same order over
    const thisCounter = counterWhere(() => otherCounter.handover({ orderId: ORDER_ID, reader: READER, idDocument }, caller), report);
    await expect(thisCounter.handover({ orderId: ORDER_ID, reader: READER, idDocument }, caller)).rejects.toMatchObject({ code: 'card-already-done' });
    expect(await db.value<string>('SELECT state FROM card_order WHERE id = ?', [ORDER_ID])).toBe('handed-over');
    expect(await db.value<number>("SELECT count(*) FROM card_event WHERE order_id = ? AND action = 'hand-over'", [ORDER_ID])).toBe(1);
    expect(await db.value<number>("SELECT count(*) FROM audit_entry WHERE action = 'card.hand-over' AND outcome = 'ok'")).toBe(1);
    expect(await verifyAudit(db)).toMatchObject({ ok: true, firstBadRow: null });
  });
});

describe("a handover whose station's trail grew after the order was read", () => {
  it('is written once, chained after the newer row, and the trail still proves', async () => {
    // while the card is read, the same station writes another row to its trail (a colleague opens a person)
    const counter = counterWhere(
      () => appendAudit(db, { station: HERE, actor: '2', action: 'person.viewed', subjectType: 'person', subjectId: '100', outcome: 'ok' }),
      { ...report, cardSerial: SECOND_CARD_NUMBER },
    );
    await counter.handover({ orderId: SECOND_ORDER_ID, reader: READER, idDocument }, caller);
    expect(await db.value<string>('SELECT state FROM card_order WHERE id = ?', [SECOND_ORDER_ID])).toBe('handed-over');
    expect(await db.value<number>("SELECT count(*) FROM card_event WHERE order_id = ? AND action = 'hand-over'", [SECOND_ORDER_ID])).toBe(1);
    const rows = await db.all<{ action: string; prev_hash: string; hash: string }>('SELECT action, prev_hash, hash FROM audit_entry WHERE chain = ? ORDER BY id DESC LIMIT 2', [HERE]);
    expect(rows.map((row) => row.action)).toEqual(['card.hand-over', 'person.viewed']);
    expect(rows[0]!.prev_hash).toBe(rows[1]!.hash);
    expect(await db.value<number>("SELECT count(*) FROM audit_entry WHERE action = 'card.hand-over' AND subject_id = ?", [String(SECOND_ORDER_ID)])).toBe(1);
    expect(await verifyAudit(db)).toMatchObject({ ok: true, firstBadRow: null });
  });
});

describe('a handover whose order another station blocked after it was read', () => {
  it("is refused as closed, writes nothing of the handover, and leaves this station's trail whole", async () => {
    // while the card is read, another station's block lands on the order; this station's trail does not move
    const counter = counterWhere(
      () => db.run("UPDATE card_order SET state = 'blocked', updated_at = '2026-11-29T10:00:00.000Z' WHERE id = ?", [BLOCKED_ORDER_ID]),
      { ...report, cardSerial: BLOCKED_CARD_NUMBER },
    );
    await expect(counter.handover({ orderId: BLOCKED_ORDER_ID, reader: READER, idDocument }, caller)).rejects.toMatchObject({ code: 'card-closed' });
    expect(await db.value<string>('SELECT state FROM card_order WHERE id = ?', [BLOCKED_ORDER_ID])).toBe('blocked');
    expect(await db.value<number>("SELECT count(*) FROM card_event WHERE order_id = ? AND action = 'hand-over'", [BLOCKED_ORDER_ID])).toBe(0);
    expect(await db.value<number>("SELECT count(*) FROM audit_entry WHERE action = 'card.hand-over' AND outcome = 'ok' AND subject_id = ?", [String(BLOCKED_ORDER_ID)])).toBe(0);
    expect(await verifyAudit(db)).toMatchObject({ ok: true, firstBadRow: null });
  });
});
