// Tokens a unit buys: ordered, then delivered, and at delivery charged to the unit's reference in the open month.
import type { UnitTokenOrder } from '@shared/contract';
import { AppError } from '../app-error';
import type { Operator } from '../router';
import { appendAudit } from '../audit/audit';
import { openChargeMonth } from '../reports/invoices';
import { assertUnitsOpen, billingUnitOf, scopeAllowsUnit, scopeOf } from '../organisation/organisation';
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

async function orderById(context: TokenServiceContext, id: number): Promise<OrderRow> {
  const row = await context.db.one<OrderRow>(`${ORDER_SELECT} WHERE o.id = ?`, [id]);
  if (!row) throw new AppError('token-order-not-found', `No token order ${id}`);
  return row;
}

export async function listTokenOrders(context: TokenServiceContext, operator: Operator): Promise<UnitTokenOrder[]> {
  const scope = scopeOf(operator);
  const rows = await context.db.all<OrderRow>(`${ORDER_SELECT} ORDER BY o.ordered_at DESC, o.id DESC`);
  return rows.filter((row) => scope.kind === 'all' || scope.unitIds.includes(row.unit_id)).map(toOrder);
}

export function placeTokenOrder(context: TokenServiceContext, operator: Operator, request: { unitId: number; quantity: number; priceOre: number }): Promise<UnitTokenOrder> {
  const { db } = context;
  return db.transaction(async () => {
    const known = (await db.one('SELECT 1 FROM unit WHERE id = ?', [request.unitId])) !== undefined;
    // another unit's order is refused as if the unit did not exist, so its id tells a unit administrator nothing
    if (!known || !scopeAllowsUnit(scopeOf(operator), request.unitId)) throw new AppError('unknown-unit', `No unit ${request.unitId}`);
    await assertUnitsOpen(db, [request.unitId]);
    const now = context.now();
    const orderId = await db.insert('INSERT INTO unit_token_order (unit_id, quantity, price_ore, ordered_by, ordered_at) VALUES (?, ?, ?, ?, ?)', [
      request.unitId,
      request.quantity,
      request.priceOre,
      String(operator.id),
      now.toISOString(),
    ]);
    await appendAudit(db, {
      station: await context.station(),
      actor: String(operator.id),
      action: 'token.order-placed',
      outcome: 'ok',
      details: { orderId, unitId: request.unitId, quantity: request.quantity, priceOre: request.priceOre },
      at: now,
    });
    return toOrder(await orderById(context, orderId));
  });
}

/** Delivery is when the unit pays: one 'token-purchase' charge for the whole order, in the month that is open. */
export function deliverTokenOrder(context: TokenServiceContext, operator: Operator, orderId: number): Promise<UnitTokenOrder> {
  const { db } = context;
  // read and write in one transaction: an order is delivered, and charged, once
  return db.transaction(async () => {
    const order = await orderById(context, orderId);
    if (order.delivered_at !== null) throw new AppError('token-order-delivered', `Token order ${orderId} was delivered already`);
    const now = context.now();
    await db.run('UPDATE unit_token_order SET delivered_at = ? WHERE id = ?', [now.toISOString(), orderId]);
    const amountOre = order.quantity * order.price_ore;
    const month = await openChargeMonth(db, now);
    const station = await context.station();
    // a sub-unit using its parent's reference is invoiced on the parent's
    const billing = await billingUnitOf(db, order.unit_id);
    await db.run("INSERT INTO charge (at, month, kind, amount_ore, person_id, unit_id, reference, token_id, station) VALUES (?, ?, 'token-purchase', ?, NULL, ?, ?, NULL, ?)", [
      now.toISOString(),
      month,
      amountOre,
      order.unit_id,
      billing.reference,
      station,
    ]);
    await appendAudit(db, { station, actor: String(operator.id), action: 'token.order-delivered', outcome: 'ok', details: { orderId, unitId: order.unit_id, amountOre, month, reference: billing.reference }, at: now });
    return toOrder({ ...order, delivered_at: now.toISOString() });
  });
}
