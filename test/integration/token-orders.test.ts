import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '../../src-main/db/open';
import type { Operator } from '../../src-main/router';
import { verifyAudit } from '../../src-main/audit/audit';
import { closeInvoiceMonth, invoiceMonth } from '../../src-main/reports/invoices';
import { FULL_SCOPE } from '../../src-main/organisation/organisation';
import { deliverTokenOrder, listTokenOrders, placeTokenOrder } from '../../src-main/tokens/orders';
import type { TokenServiceContext } from '../../src-main/tokens/store';
import { keyFileDataKeySource } from '../../src-main/tokens/seed-crypto';
import { DATABASE_FILE } from '../../src-main/station';

const opened: OpenDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
});

const admin: Operator = { id: 1, role: 'station-admin', unitIds: [] };
const unitAdmin: Operator = { id: 2, role: 'unit-admin', unitIds: [11] };

async function station(clock: { now: Date }): Promise<TokenServiceContext> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-orders-'));
  const database = await openDatabase(join(dataDir, DATABASE_FILE));
  opened.push(database);
  database.sqlite.prepare("INSERT INTO organisation (id, name, kind) VALUES (1, 'Uppsala kommun', 'kommun')").run();
  database.sqlite.prepare("INSERT INTO unit (id, organisation_id, name, reference) VALUES (10, 1, 'Hemtjänst Öst', 'K4711'), (11, 1, 'Hemtjänst Väst', 'K4712')").run();
  return { sqlite: database.sqlite, dataKey: keyFileDataKeySource(dataDir), station: () => 'Test', now: () => clock.now };
}

describe('units buying tokens', () => {
  it('charges the whole order to the unit’s reference when it is delivered, once', async () => {
    const clock = { now: new Date('2026-11-20T10:00:00Z') };
    const context = await station(clock);
    const order = placeTokenOrder(context, admin, { unitId: 10, quantity: 25, priceOre: 35_000 });
    expect(order).toMatchObject({ unitName: 'Hemtjänst Öst', reference: 'K4711', quantity: 25, priceOre: 35_000, deliveredAt: null });
    expect(invoiceMonth(context.sqlite, '2026-11', FULL_SCOPE, clock.now).bases).toEqual([]);

    clock.now = new Date('2026-11-24T09:00:00Z');
    expect(deliverTokenOrder(context, admin, order.id).deliveredAt).toBe('2026-11-24T09:00:00.000Z');
    const [basis, ...others] = invoiceMonth(context.sqlite, '2026-11', FULL_SCOPE, clock.now).bases;
    expect(others).toEqual([]);
    expect(basis).toMatchObject({ reference: 'K4711' });
    expect(JSON.stringify(basis)).toContain('token-purchase');
    expect(() => deliverTokenOrder(context, admin, order.id)).toThrow(expect.objectContaining({ code: 'token-order-delivered' }));
    expect(context.sqlite.prepare("SELECT COUNT(*) AS n FROM charge WHERE kind = 'token-purchase'").get()).toEqual({ n: 1 });
    expect(verifyAudit(context.sqlite).ok).toBe(true);
  });

  it('puts a delivery after the month was closed into the next month, and shows unit administrators only their units', async () => {
    const clock = { now: new Date('2026-11-30T12:00:00Z') };
    const context = await station(clock);
    const order = placeTokenOrder(context, admin, { unitId: 11, quantity: 2, priceOre: 40_000 });
    placeTokenOrder(context, admin, { unitId: 10, quantity: 1, priceOre: 40_000 });
    closeInvoiceMonth(context.sqlite, '2026-11', { actor: '1', station: 'Test', now: clock.now });
    deliverTokenOrder(context, admin, order.id);
    expect(context.sqlite.prepare("SELECT month, amount_ore FROM charge WHERE kind = 'token-purchase'").all()).toEqual([{ month: '2026-12', amount_ore: 80_000 }]);
    expect(listTokenOrders(context, unitAdmin).map((o) => o.unitId)).toEqual([11]);
    expect(() => placeTokenOrder(context, admin, { unitId: 99, quantity: 1, priceOre: 1 })).toThrow(expect.objectContaining({ code: 'unknown-unit' }));
  });

  it('lets a unit administrator order tokens for their own units only', async () => {
    const context = await station({ now: new Date('2026-11-20T10:00:00Z') });
    expect(placeTokenOrder(context, unitAdmin, { unitId: 11, quantity: 3, priceOre: 35_000 })).toMatchObject({ unitId: 11, orderedBy: '2', deliveredAt: null });
    expect(() => placeTokenOrder(context, unitAdmin, { unitId: 10, quantity: 3, priceOre: 35_000 })).toThrow(expect.objectContaining({ code: 'unknown-unit' }));
    expect(context.sqlite.prepare('SELECT unit_id FROM unit_token_order').all()).toEqual([{ unit_id: 11 }]);
  });
});
