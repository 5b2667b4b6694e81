// Tokens a unit buys: ordered, then delivered, and at delivery charged to the unit's reference in the open month.
import type { UnitTokenOrder } from '@shared/contract';
import { AppError } from '../app-error';
import type { Operator } from '../router';
import { appendAudit } from '../audit/audit';
import { openChargeMonth } from '../reports/invoices';
import { scopeAllowsUnit, scopeOf } from '../organisation/organisation';
import type { TokenServiceContext } from './store';

interface OrderRow {
  id: number;
  unit_id: number;
  unit_name: string;
  reference: string;
  quantity: number;
  price_ore: number;
  ordered_by: string;
  ordered_at: string;
  delivered_at: string | null;
}

const ORDER_SELECT = `SELECT o.id, o.unit_id, u.name AS unit_name, u.reference, o.quantity, o.price_ore, o.ordered_by, o.ordered_at, o.delivered_at
  FROM unit_token_order o JOIN unit u ON u.id = o.unit_id`;

const toOrder = (row: OrderRow): UnitTokenOrder => ({
  id: row.id,
  unitId: row.unit_id,
  unitName: row.unit_name,
  reference: row.reference,
  quantity: row.quantity,
  priceOre: row.price_ore,
  orderedBy: row.ordered_by,
  orderedAt: row.ordered_at,
  deliveredAt: row.delivered_at,
});

function orderById(context: TokenServiceContext, id: number): OrderRow {
  const row = context.sqlite.prepare<[number], OrderRow>(`${ORDER_SELECT} WHERE o.id = ?`).get(id);
  if (!row) throw new AppError('token-order-not-found', `No token order ${id}`);
  return row;
}

export function listTokenOrders(context: TokenServiceContext, operator: Operator): UnitTokenOrder[] {
  const scope = scopeOf(operator);
  const rows = context.sqlite.prepare<[], OrderRow>(`${ORDER_SELECT} ORDER BY o.ordered_at DESC, o.id DESC`).all();
  return rows.filter((row) => scope.kind === 'all' || scope.unitIds.includes(row.unit_id)).map(toOrder);
}

export function placeTokenOrder(context: TokenServiceContext, operator: Operator, request: { unitId: number; quantity: number; priceOre: number }): UnitTokenOrder {
  return context.sqlite
    .transaction(() => {
      const known = context.sqlite.prepare('SELECT 1 FROM unit WHERE id = ?').get(request.unitId) !== undefined;
      // another unit's order is refused as if the unit did not exist, so its id tells a unit administrator nothing
      if (!known || !scopeAllowsUnit(scopeOf(operator), request.unitId)) throw new AppError('unknown-unit', `No unit ${request.unitId}`);
      const now = context.now();
      const { lastInsertRowid } = context.sqlite
        .prepare('INSERT INTO unit_token_order (unit_id, quantity, price_ore, ordered_by, ordered_at) VALUES (?, ?, ?, ?, ?)')
        .run(request.unitId, request.quantity, request.priceOre, String(operator.id), now.toISOString());
      appendAudit(context.sqlite, { station: context.station(), actor: String(operator.id), action: 'token.order-placed', outcome: 'ok', details: { orderId: Number(lastInsertRowid), unitId: request.unitId, quantity: request.quantity, priceOre: request.priceOre }, at: now });
      return toOrder(orderById(context, Number(lastInsertRowid)));
    })
    .immediate();
}

/** Delivery is when the unit pays: one 'token-purchase' charge for the whole order, in the month that is open. */
export function deliverTokenOrder(context: TokenServiceContext, operator: Operator, orderId: number): UnitTokenOrder {
  return context.sqlite
    .transaction(() => {
      const order = orderById(context, orderId);
      if (order.delivered_at !== null) throw new AppError('token-order-delivered', `Token order ${orderId} was delivered already`);
      const now = context.now();
      context.sqlite.prepare('UPDATE unit_token_order SET delivered_at = ? WHERE id = ?').run(now.toISOString(), orderId);
      const amountOre = order.quantity * order.price_ore;
      const month = openChargeMonth(context.sqlite, now);
      context.sqlite
        .prepare("INSERT INTO charge (at, month, kind, amount_ore, person_id, unit_id, reference, token_id) VALUES (?, ?, 'token-purchase', ?, NULL, ?, ?, NULL)")
        .run(now.toISOString(), month, amountOre, order.unit_id, order.reference);
      appendAudit(context.sqlite, { station: context.station(), actor: String(operator.id), action: 'token.order-delivered', outcome: 'ok', details: { orderId, unitId: order.unit_id, amountOre, month }, at: now });
      return toOrder({ ...order, delivered_at: now.toISOString() });
    })
    .immediate();
}
