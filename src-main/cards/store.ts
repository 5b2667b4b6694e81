// The card-lifecycle tables as queries on the data layer; a step, its event and its audit entry share the step's transaction, or are one statement.
import type { CardEvent, CardOrderSummary } from '@shared/contract';
import { isUncollected, type CardState } from '@shared/domain/card-lifecycle';
import { seenTipColumns, type AppendAfterTip, type SeenTip } from '../audit/audit';
import type { Db } from '../db/data-layer';
import type { UnitScope } from '../organisation/organisation';
import { stationNameReader } from '../organisation/station-label';

export interface OrderRow {
  id: number;
  person_id: number;
  order_date: string;
  order_reference: string;
  state: CardState;
  card_number: string | null;
  photo_station_id: number | null;
  photo_station_name: string | null;
  photographed_by: string | null;
  photographer_name: string | null;
  photographed_at: string | null;
  ready_at: string | null;
  handed_over_at: string | null;
  certificates_not_after: string | null;
  replaces_order_id: number | null;
  /** The order's version: every step sets it, so a step can tell whether the order changed since it was read. */
  updated_at: string;
  first_name: string;
  surname: string;
  personnummer: string;
  hsa_id: string | null;
  employment_end: string | null;
}

/** One order with its person, the photo station's name and the photographer's display name. */
const ORDER_COLUMNS = `
  o.id, o.person_id, o.order_date, o.order_reference, o.state, o.card_number, o.photo_station_id, s.name AS photo_station_name,
         o.photographed_by, sa.display_name AS photographer_name, o.photographed_at, o.ready_at, o.handed_over_at,
         o.certificates_not_after, o.replaces_order_id, o.updated_at, p.first_name, p.surname, p.personnummer, p.hsa_id, p.employment_end`;
const ORDER_FROM = `
  FROM card_order o
  JOIN person p ON p.id = o.person_id
  LEFT JOIN station s ON s.id = o.photo_station_id
  LEFT JOIN staff_account sa ON CAST(sa.id AS TEXT) = o.photographed_by`;
export const ORDER_SELECT = `SELECT ${ORDER_COLUMNS} ${ORDER_FROM}`;

/** A staff id as the trail writes it, as the number staff_account.id is; the CLI's "cli:<user>" is none (PostgreSQL would refuse it as a number). */
const staffId = (actor: string | null): number | null => (actor !== null && /^\d+$/.test(actor) ? Number(actor) : null);

/** A WHERE fragment limiting rows to people in the scope's units, with its parameters; `person` names the column holding the person's id. */
export function scopeCondition(scope: UnitScope, person = 'o.person_id'): { sql: string; params: number[] } {
  if (scope.kind === 'all') return { sql: '1 = 1', params: [] };
  // an admin of no units sees no one; IN () is no SQL on PostgreSQL
  if (scope.unitIds.length === 0) return { sql: '1 = 0', params: [] };
  const marks = scope.unitIds.map(() => '?').join(', ');
  return { sql: `EXISTS (SELECT 1 FROM person_unit pu WHERE pu.person_id = ${person} AND pu.unit_id IN (${marks}))`, params: [...scope.unitIds] };
}

export function toSummary(row: OrderRow, now: Date, stationName: string): CardOrderSummary {
  return {
    id: row.id,
    personId: row.person_id,
    personName: `${row.first_name} ${row.surname}`,
    orderDate: row.order_date,
    orderReference: row.order_reference,
    state: row.state,
    cardNumber: row.card_number,
    photoStation: row.photo_station_id === null ? null : { id: row.photo_station_id, name: row.photo_station_name ?? '' },
    photographedHere: row.photo_station_name === stationName,
    photographedAt: row.photographed_at,
    photographedBy: row.photographer_name ?? row.photographed_by,
    readyAt: row.ready_at,
    handedOverAt: row.handed_over_at,
    uncollected: isUncollected(row.state, row.ready_at, now),
    certificatesNotAfter: row.certificates_not_after,
    replacesOrderId: row.replaces_order_id,
  };
}

export interface NewEvent {
  orderId: number;
  at: string;
  action: string;
  station: string;
  actor: string | null;
  details: CardEvent['details'];
}

export function createCardStore(db: Db) {
  const scopedOrder = async (where: string, param: string | number, scope: UnitScope, lock = ''): Promise<OrderRow | undefined> => {
    const scoped = scopeCondition(scope);
    return db.one<OrderRow>(`${ORDER_SELECT} WHERE ${where} AND ${scoped.sql}${lock}`, [param, ...scoped.params]);
  };
  const setClause = (changes: Record<string, string | number | null>): { sql: string; params: (string | number | null)[] } => {
    const columns = Object.keys(changes);
    return { sql: columns.map((column) => `${column} = ?`).join(', '), params: columns.map((column) => changes[column] ?? null) };
  };
  // the event's row in column order: order_id, at, action, station, actor, details
  const eventValues = (event: NewEvent): (string | number | null)[] => [event.orderId, event.at, event.action, event.station, event.actor, event.details === null ? null : JSON.stringify(event.details)];
  const insertEvent = async (event: NewEvent): Promise<void> => {
    await db.run('INSERT INTO card_event (order_id, at, action, station, actor, details) VALUES (?, ?, ?, ?, ?, ?)', eventValues(event));
  };
  const nameOfStaff = (actor: string | null, displayName: string | null | undefined): string => (actor === null ? '' : (displayName ?? actor));

  return {
    order: (id: number, scope: UnitScope): Promise<OrderRow | undefined> => scopedOrder('o.id = ?', id, scope),
    /** The order read and its row locked to the end of the transaction in one round trip; SQLite's one writer holds the whole file anyway. */
    lockedOrder: (id: number, scope: UnitScope): Promise<OrderRow | undefined> => scopedOrder('o.id = ?', id, scope, db.engine === 'postgres' ? ' FOR UPDATE OF o' : ''),
    // card numbers are matched regardless of case, as the card reports them
    orderByCardNumber: (cardNumber: string, scope: UnitScope): Promise<OrderRow | undefined> => scopedOrder('lower(o.card_number) = lower(?)', cardNumber, scope),
    ordersOfPerson: (personId: number): Promise<OrderRow[]> => db.all<OrderRow>(`${ORDER_SELECT} WHERE o.person_id = ? ORDER BY o.id DESC`, [personId]),
    async events(orderId: number): Promise<CardEvent[]> {
      const rows = await db.all<{ at: string; action: string; station: string; actor: string | null; details: string | null }>(
        `SELECT e.at, e.action, e.station, COALESCE(sa.display_name, e.actor) AS actor, e.details FROM card_event e
         LEFT JOIN staff_account sa ON CAST(sa.id AS TEXT) = e.actor WHERE e.order_id = ? ORDER BY e.id`,
        [orderId],
      );
      return rows.map((row) => ({ ...row, details: row.details === null ? null : (JSON.parse(row.details) as CardEvent['details']) }));
    },
    async personVisible(personId: number, scope: UnitScope): Promise<boolean> {
      const scoped = scopeCondition(scope, 'p.id');
      return (await db.one(`SELECT 1 AS visible FROM person p WHERE p.id = ? AND ${scoped.sql}`, [personId, ...scoped.params])) !== undefined;
    },
    insertOrder: (values: { personId: number; orderDate: string; orderReference: string; replacesOrderId: number | null; at: string }): Promise<number> =>
      db.insert(
        `INSERT INTO card_order (person_id, order_date, order_reference, state, replaces_order_id, created_at, updated_at)
         VALUES (?, ?, ?, 'ordered', ?, ?, ?)`,
        [values.personId, values.orderDate, values.orderReference, values.replacesOrderId, values.at, values.at],
      ),
    /** Sets the state and the given columns; only ever called after transition() allowed the step. */
    async update(id: number, changes: Record<string, string | number | null>): Promise<void> {
      const set = setClause(changes);
      await db.run(`UPDATE card_order SET ${set.sql} WHERE id = ?`, [...set.params, id]);
    },
    /**
     * A step's change and its event, only if the order is still as `read` found it (same state, same updated_at): false
     * when another station changed it since, and then nothing is written. On PostgreSQL one statement.
     */
    async advance(read: Pick<OrderRow, 'id' | 'state' | 'updated_at'>, changes: Record<string, string | number | null>, event: NewEvent): Promise<boolean> {
      const set = setClause(changes);
      const update = `UPDATE card_order SET ${set.sql} WHERE id = ? AND state = ? AND updated_at = ?`;
      const updateParams = [...set.params, read.id, read.state, read.updated_at];
      if (db.engine === 'postgres') {
        const inserted = await db.run(
          `WITH advanced AS (${update} RETURNING id)
           INSERT INTO card_event (order_id, at, action, station, actor, details) SELECT id, ?::text, ?::text, ?::text, ?::text, ?::text FROM advanced`,
          [...updateParams, ...eventValues(event).slice(1)],
        );
        return inserted > 0;
      }
      if ((await db.run(update, updateParams)) === 0) return false;
      await insertEvent(event);
      return true;
    },
    /**
     * `advance` and the step's audit row in one statement on PostgreSQL, no transaction around it: the order is locked
     * first, and only if it is still as read; the chain's head moves only then and only if it is still at the seen tip;
     * the order, its event and the audit row are written only where the head moved. False when nothing was written.
     */
    async advanceAudited(read: Pick<OrderRow, 'id' | 'state' | 'updated_at'>, changes: Record<string, string | number | null>, event: NewEvent, append: AppendAfterTip): Promise<boolean> {
      const set = setClause(changes);
      const moveHead = append.moveHead('EXISTS (SELECT 1 FROM locked)');
      const insertRow = append.insertRow('advanced');
      const written = await db.value<number>(
        `WITH locked AS (SELECT id FROM card_order WHERE id = ? AND state = ? AND updated_at = ? FOR UPDATE),
              moved AS (${moveHead.sql}),
              advanced AS (UPDATE card_order SET ${set.sql} WHERE id IN (SELECT id FROM locked) AND EXISTS (SELECT 1 FROM moved) RETURNING id),
              evented AS (INSERT INTO card_event (order_id, at, action, station, actor, details) SELECT id, ?::text, ?::text, ?::text, ?::text, ?::text FROM advanced),
              audited AS (${insertRow.sql})
         SELECT count(*) FROM advanced`,
        [read.id, read.state, read.updated_at, ...moveHead.params, ...set.params, ...eventValues(event).slice(1), ...insertRow.params],
      );
      return Number(written) > 0;
    },
    addEvent: insertEvent,
    stationName: stationNameReader(db),
    /** This kiosk's row in the station register: the one named like the station. */
    stationId: (name: string): Promise<number | undefined> => db.value<number>('SELECT id FROM station WHERE name = ?', [name]),
    async staffName(actor: string | null): Promise<string> {
      const id = staffId(actor);
      return nameOfStaff(actor, id === null ? null : await db.value<string>('SELECT display_name FROM staff_account WHERE id = ?', [id]));
    },
    /**
     * The order and the display name of the staff member at the counter, for the receipt, in one round trip; on PostgreSQL
     * also the station's audit chain tip, so the step can then be written in one statement (`advanceAudited`).
     */
    async orderAtCounter(id: number, scope: UnitScope, actor: string | null, station: string): Promise<(OrderRow & { staffName: string; auditTip?: SeenTip }) | undefined> {
      const scoped = scopeCondition(scope);
      const tip = db.engine === 'postgres' ? seenTipColumns(station) : undefined;
      const row = await db.one<OrderRow & { counter_staff_name: string | null; audit_key_id?: string | null; audit_head?: string | null; audit_next_id?: number }>(
        `SELECT ${ORDER_COLUMNS}, (SELECT display_name FROM staff_account WHERE id = ?) AS counter_staff_name${tip ? `, ${tip.sql}` : ''} ${ORDER_FROM} WHERE o.id = ? AND ${scoped.sql}`,
        [staffId(actor), ...(tip?.params ?? []), id, ...scoped.params],
      );
      if (!row) return undefined;
      const { counter_staff_name: displayName, audit_key_id: keyId = null, audit_head: head = null, audit_next_id: nextId, ...order } = row;
      const auditTip: SeenTip | undefined = nextId === undefined ? undefined : { keyId, head, nextId: Number(nextId) };
      return { ...order, staffName: nameOfStaff(actor, displayName), ...(auditTip ? { auditTip } : {}) };
    },
  };
}

export type CardStore = ReturnType<typeof createCardStore>;
