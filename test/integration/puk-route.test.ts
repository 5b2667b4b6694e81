// Issue 18 item 4: the lost PUK-kod route on the real register and a virtual card — ID-handling first, a new PUK-kod ordered, or the PUK-kod from SITHS eID-portalen typed for the unlock; every step audited, never the PUK-kod.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/app-error';
import { verifyAudit } from '../../src-main/audit/verify';
import { createPukRoute } from '../../src-main/pins/puk-route';
import { SCENARIO_PINS, SCENARIO_SERIAL } from '../sim/scenarios';
import { READER_0 } from '../support/pcscd';
import { NEW_PIN, pinTestBench } from '../support/pin-bench';

const { database, pins, insert, verifyOnCard } = pinTestBench();
const validId = { type: 'svenskt-korkort' as const, lastFour: '12ab', expiry: '2099-12-31', note: null };
const STAFF = '7';

function route() {
  return createPukRoute({ db: database(), station: async () => 'Teststation', cardSerialIn: async (reader) => (await pins().status(reader)).cardSerial });
}

const refusal = async (work: Promise<unknown>): Promise<string> => {
  const failure = await work.then(() => null, (error: unknown) => error);
  expect(failure).toBeInstanceOf(AppError);
  return (failure as AppError).code;
};

async function pukRouteTrail(): Promise<{ action: string; outcome: string; subject_id: string; details: string }[]> {
  return database().all("SELECT action, outcome, subject_id, details FROM audit_entry WHERE action LIKE 'puk-route.%' OR action = 'pin.unblocked' ORDER BY id");
}

describe('the lost PUK-kod route', () => {
  it('checks the ID-handling first, then orders a new PUK-kod where the region does not allow the portal', async () => {
    const card = await insert('pin-blocked', 'pkcs15');
    const service = route();
    expect(await service.policy()).toEqual({ portalRetrievalAllowed: false });
    expect(await refusal(service.checkId(READER_0, { ...validId, expiry: '2020-01-01' }, STAFF))).toBe('id-document-expired');
    const checked = await service.checkId(READER_0, validId, STAFF);
    expect(checked).toMatchObject({ step: 'id-checked', cardSerial: SCENARIO_SERIAL, choices: ['order-new-puk'] });
    expect(await refusal(service.retrieveFromPortal(checked.routeId, STAFF))).toBe('puk-route-portal-not-allowed');
    expect(await service.orderNewPuk(checked.routeId, 'PUK-2026-17', STAFF)).toMatchObject({ step: 'ordered', orderReference: 'PUK-2026-17' });
    expect(await refusal(service.orderNewPuk(checked.routeId, 'PUK-2026-18', STAFF))).toBe('puk-route-done');
    expect(await refusal(service.orderNewPuk('6f1c1a34-3f1e-4b8e-9d7a-2b4c5d6e7f80', 'PUK-1', STAFF))).toBe('puk-route-unknown');
    expect((await pukRouteTrail()).map((entry) => [entry.action, entry.outcome, entry.subject_id])).toEqual([
      ['puk-route.id-checked', 'refused', SCENARIO_SERIAL],
      ['puk-route.id-checked', 'ok', SCENARIO_SERIAL],
      ['puk-route.puk-retrieved', 'refused', SCENARIO_SERIAL],
      ['puk-route.puk-ordered', 'ok', SCENARIO_SERIAL],
      ['puk-route.puk-ordered', 'refused', SCENARIO_SERIAL],
    ]);
    expect(JSON.parse((await pukRouteTrail())[3]!.details)).toMatchObject({ orderReference: 'PUK-2026-17' });
    await card.remove();
  });

  it('lets an ID-administratör read the PUK-kod in the portal where the region allows it, and the unlock on the keypad follows; the PUK-kod is nowhere in the trail', async () => {
    const card = await insert('pin-blocked', 'pkcs15');
    const service = route();
    expect(await service.setPolicy(true, '1')).toEqual({ portalRetrievalAllowed: true });
    const checked = await service.checkId(READER_0, validId, STAFF);
    expect(checked.choices).toEqual(['retrieve-from-portal', 'order-new-puk']);
    expect(await service.retrieveFromPortal(checked.routeId, STAFF)).toMatchObject({ step: 'retrieved' });
    expect(await pins().unblock(READER_0, 'auth', SCENARIO_PINS.puk, NEW_PIN, STAFF)).toMatchObject({ ok: true, code: 'unblocked' });
    expect(await verifyOnCard(NEW_PIN)).toEqual({ kind: 'ok' });
    const trail = await pukRouteTrail();
    expect(trail.slice(-3).map((entry) => [entry.action, entry.outcome])).toEqual([
      ['puk-route.id-checked', 'ok'],
      ['puk-route.puk-retrieved', 'ok'],
      ['pin.unblocked', 'ok'],
    ]);
    const everything = await database().column<string>('SELECT details FROM audit_entry');
    expect(everything.join('\n')).not.toContain(SCENARIO_PINS.puk);
    expect(everything.join('\n')).not.toContain(NEW_PIN);
    expect((await verifyAudit(database())).ok).toBe(true);
    await card.remove();
  });
});
