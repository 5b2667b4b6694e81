import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenRegister } from '../../src-main/db/data-layer';
import type { Operator } from '../../src-main/router';
import { verifyAudit } from '../../src-main/audit/verify';
import { closeInvoiceMonth, invoiceMonth } from '../../src-main/reports/invoices';
import { FULL_SCOPE } from '../../src-main/organisation/organisation';
import { deliverTokenOrder, listTokenOrders, placeTokenOrder } from '../../src-main/tokens/orders';
import type { TokenServiceContext } from '../../src-main/tokens/store';
import { keyFileDataKeySource } from '../../src-main/tokens/seed-crypto';
import { openTestRegister } from '../support/register';

const opened: OpenRegister[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
});

const admin: Operator = { id: 1, role: 'station-admin', unitIds: [] };
const unitAdmin: Operator = { id: 2, role: 'unit-admin', unitIds: [11] };

async function station(clock: { now: Date }): Promise<TokenServiceContext> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-orders-'));
  const db = await openTestRegister(dataDir);
  opened.push(db);
  await db.run("INSERT INTO organisation (id, name, kind) VALUES (1, 'Uppsala kommun', 'kommun')");
  await db.run("INSERT INTO unit (id, organisation_id, name, reference) VALUES (10, 1, 'Hemtjänst Öst', 'K4711'), (11, 1, 'Hemtjänst Väst', 'K4712')");
  return { db, dataKey: keyFileDataKeySource(dataDir), station: async () => 'Test', now: () => clock.now };
}

describe('units buying tokens', () => {
  it('charges the whole order to the unit’s reference when it is delivered, once', async () => {
    const clock = { now: new Date('2026-11-20T10:00:00Z') };
    const context = await station(clock);
    const order = await placeTokenOrder(context, admin, { unitId: 10, quantity: 25, priceOre: 35_000 });
    expect(order).toMatchObject({ unitName: 'Hemtjänst Öst', reference: 'K4711', quantity: 25, priceOre: 35_000, deliveredAt: null });
    expect((await invoiceMonth(context.db, '2026-11', FULL_SCOPE, clock.now)).bases).toEqual([]);

    clock.now = new Date('2026-11-24T09:00:00Z');
    expect((await deliverTokenOrder(context, admin, order.id)).deliveredAt).toBe('2026-11-24T09:00:00.000Z');
    const [basis, ...others] = (await invoiceMonth(context.db, '2026-11', FULL_SCOPE, clock.now)).bases;
    expect(others).toEqual([]);
    expect(basis).toMatchObject({ reference: 'K4711' });
    expect(JSON.stringify(basis)).toContain('token-purchase');
    await expect(deliverTokenOrder(context, admin, order.id)).rejects.toThrow(expect.objectContaining({ code: 'token-order-delivered' }));
    expect(await context.db.value("SELECT COUNT(*) FROM charge WHERE kind = 'token-purchase'")).toBe(1);
    expect((await verifyAudit(context.db)).ok).toBe(true);
  });

  it('puts a delivery after the month was closed into the next month, and shows unit administrators only their units', async () => {
    const clock = { now: new Date('2026-11-30T12:00:00Z') };
    const context = await station(clock);
    const order = await placeTokenOrder(context, admin, { unitId: 11, quantity: 2, priceOre: 40_000 });
    await placeTokenOrder(context, admin, { unitId: 10, quantity: 1, priceOre: 40_000 });
    await closeInvoiceMonth(context.db, '2026-11', { actor: '1', station: 'Test', now: clock.now });
    await deliverTokenOrder(context, admin, order.id);
    expect(await context.db.all("SELECT month, amount_ore FROM charge WHERE kind = 'token-purchase'")).toEqual([{ month: '2026-12', amount_ore: 80_000 }]);
    expect((await listTokenOrders(context, unitAdmin)).map((o) => o.unitId)).toEqual([11]);
    await expect(placeTokenOrder(context, admin, { unitId: 99, quantity: 1, priceOre: 1 })).rejects.toThrow(expect.objectContaining({ code: 'unknown-unit' }));
  });

  it('charges an order delivered from two stations at once only once', async () => {
    const context = await station({ now: new Date('2026-11-20T10:00:00Z') });
    const order = await placeTokenOrder(context, admin, { unitId: 10, quantity: 4, priceOre: 35_000 });
    const deliveries = await Promise.allSettled([deliverTokenOrder(context, admin, order.id), deliverTokenOrder({ ...context, station: async () => 'Disk 2' }, admin, order.id)]);
    expect(deliveries.flatMap((result) => (result.status === 'rejected' ? [(result.reason as { code?: string }).code] : []))).toEqual(['token-order-delivered']);
    expect(await context.db.all("SELECT amount_ore FROM charge WHERE kind = 'token-purchase'")).toEqual([{ amount_ore: 140_000 }]);
  });

  it('lets a unit administrator order tokens for their own units only', async () => {
    const context = await station({ now: new Date('2026-11-20T10:00:00Z') });
    expect(await placeTokenOrder(context, unitAdmin, { unitId: 11, quantity: 3, priceOre: 35_000 })).toMatchObject({ unitId: 11, orderedBy: '2', deliveredAt: null });
    await expect(placeTokenOrder(context, unitAdmin, { unitId: 10, quantity: 3, priceOre: 35_000 })).rejects.toThrow(expect.objectContaining({ code: 'unknown-unit' }));
    expect(await context.db.all('SELECT unit_id FROM unit_token_order')).toEqual([{ unit_id: 11 }]);
  });
});
