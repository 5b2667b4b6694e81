// The card-lifecycle tables as synchronous statements, so a step, its event and its audit entry share one transaction.
import type BetterSqlite3 from 'better-sqlite3';
import type { CardEvent, CardOrderSummary } from '@shared/contract';
import { isUncollected, type CardState } from '@shared/domain/card-lifecycle';
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
  first_name: string;
  surname: string;
  personnummer: string;
  hsa_id: string | null;
  employment_end: string | null;
}

/** One order with its person, the photo station's name and the photographer's display name. */
export const ORDER_SELECT = `
  SELECT o.id, o.person_id, o.order_date, o.order_reference, o.state, o.card_number, o.photo_station_id, s.name AS photo_station_name,
         o.photographed_by, sa.display_name AS photographer_name, o.photographed_at, o.ready_at, o.handed_over_at,
         o.certificates_not_after, o.replaces_order_id, p.first_name, p.surname, p.personnummer, p.hsa_id, p.employment_end
  FROM card_order o
  JOIN person p ON p.id = o.person_id
  LEFT JOIN station s ON s.id = o.photo_station_id
  LEFT JOIN staff_account sa ON CAST(sa.id AS TEXT) = o.photographed_by`;

/** A WHERE fragment limiting rows to people in the scope's units; bind `scopeAll` and `scopeUnits` from scopeParameters. */
export const SCOPE_CONDITION = `(@scopeAll = 1 OR EXISTS (SELECT 1 FROM person_unit pu WHERE pu.person_id = o.person_id AND pu.unit_id IN (SELECT value FROM json_each(@scopeUnits))))`;

export const scopeParameters = (scope: UnitScope) => ({
  scopeAll: scope.kind === 'all' ? 1 : 0,
  scopeUnits: JSON.stringify(scope.kind === 'all' ? [] : scope.unitIds),
});

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

export function createCardStore(sqlite: BetterSqlite3.Database) {
  const orderById = sqlite.prepare<{ id: number } & ReturnType<typeof scopeParameters>, OrderRow>(`${ORDER_SELECT} WHERE o.id = @id AND ${SCOPE_CONDITION}`);
  const orderByCardNumber = sqlite.prepare<{ cardNumber: string } & ReturnType<typeof scopeParameters>, OrderRow>(
    `${ORDER_SELECT} WHERE o.card_number = @cardNumber COLLATE NOCASE AND ${SCOPE_CONDITION}`,
  );
  const ordersOfPerson = sqlite.prepare<{ personId: number }, OrderRow>(`${ORDER_SELECT} WHERE o.person_id = @personId ORDER BY o.id DESC`);
  const eventsOfOrder = sqlite.prepare<[number], { at: string; action: string; station: string; actor: string | null; details: string | null }>(
    `SELECT e.at, e.action, e.station, COALESCE(sa.display_name, e.actor) AS actor, e.details FROM card_event e
     LEFT JOIN staff_account sa ON CAST(sa.id AS TEXT) = e.actor WHERE e.order_id = ? ORDER BY e.id`,
  );
  const personVisible = sqlite.prepare<{ personId: number } & ReturnType<typeof scopeParameters>, number>(
    `SELECT 1 FROM person p WHERE p.id = @personId AND (@scopeAll = 1 OR EXISTS (SELECT 1 FROM person_unit pu WHERE pu.person_id = p.id AND pu.unit_id IN (SELECT value FROM json_each(@scopeUnits))))`,
  );
  const insertOrder = sqlite.prepare<{ personId: number; orderDate: string; orderReference: string; replacesOrderId: number | null; at: string }>(
    `INSERT INTO card_order (person_id, order_date, order_reference, state, replaces_order_id, created_at, updated_at)
     VALUES (@personId, @orderDate, @orderReference, 'ordered', @replacesOrderId, @at, @at)`,
  );
  const insertEvent = sqlite.prepare<Omit<NewEvent, 'details'> & { details: string | null }>(
    'INSERT INTO card_event (order_id, at, action, station, actor, details) VALUES (@orderId, @at, @action, @station, @actor, @details)',
  );
  const stationIdByName = sqlite.prepare<[string], number>('SELECT id FROM station WHERE name = ?').pluck();
  const staffName = sqlite.prepare<[number], string>('SELECT display_name FROM staff_account WHERE id = ?').pluck();

  return {
    order: (id: number, scope: UnitScope): OrderRow | undefined => orderById.get({ id, ...scopeParameters(scope) }),
    orderByCardNumber: (cardNumber: string, scope: UnitScope): OrderRow | undefined => orderByCardNumber.get({ cardNumber, ...scopeParameters(scope) }),
    ordersOfPerson: (personId: number): OrderRow[] => ordersOfPerson.all({ personId }),
    events: (orderId: number): CardEvent[] =>
      eventsOfOrder.all(orderId).map((row) => ({ ...row, details: row.details === null ? null : (JSON.parse(row.details) as CardEvent['details']) })),
    personVisible: (personId: number, scope: UnitScope): boolean => personVisible.get({ personId, ...scopeParameters(scope) }) !== undefined,
    insertOrder: (values: { personId: number; orderDate: string; orderReference: string; replacesOrderId: number | null; at: string }): number =>
      Number(insertOrder.run(values).lastInsertRowid),
    /** Sets the state and the given columns; only ever called after transition() allowed the step. */
    update(id: number, changes: Record<string, string | number | null>): void {
      const columns = Object.keys(changes);
      const assignments = columns.map((column) => `${column} = @${column}`).join(', ');
      sqlite.prepare(`UPDATE card_order SET ${assignments} WHERE id = @id`).run({ ...changes, id });
    },
    addEvent: (event: NewEvent): void => void insertEvent.run({ ...event, details: event.details === null ? null : JSON.stringify(event.details) }),
    stationName: stationNameReader(sqlite),
    /** This kiosk's row in the station register: the one named like the station. */
    stationId: (name: string): number | undefined => stationIdByName.get(name),
    staffName: (actor: string | null): string => (actor === null ? '' : (staffName.get(Number(actor)) ?? actor)),
  };
}

export type CardStore = ReturnType<typeof createCardStore>;
