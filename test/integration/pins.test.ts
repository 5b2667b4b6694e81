import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { pinAuditWriter } from '../../src-main/pins/audit';
import { createPerson } from '../../src-main/people/people';
import { FULL_SCOPE } from '../../src-main/organisation/organisation';
import { holderByHsaId } from '../../src-main/pins/holder';
import { createPinService } from '../../src-main/pins/pins';
import { personnummerFor } from '../people-data';
import { verifyAudit } from '../../src-main/audit/verify';
import { createScenario, SCENARIO_HOLDER, SCENARIO_PINS } from '../sim/scenarios';
import { READER_0 } from '../support/pcscd';
import { INS_CHANGE, INS_RESET_RETRY, NEW_PIN, pinTestBench } from '../support/pin-bench';
import { openTestRegister } from '../support/register';

const { readers, database, pins, insert, verifyOnCard } = pinTestBench();

describe.each(['pkcs15', 'piv'] as const)('PIN change and unblock on the virtual %s card', (personality) => {
  it('changes the PIN, and the new PIN is what the card then accepts, also after removal and re-insertion', async () => {
    let card = await insert('healthy', personality);
    expect(await pins().change(READER_0, 'auth', SCENARIO_PINS.auth, NEW_PIN, null)).toEqual({ ok: true, code: 'changed', triesLeft: null, rejections: [] });
    await card.remove();
    card = await insert('healthy', personality, card.stateFile);
    expect(await verifyOnCard(SCENARIO_PINS.auth)).toMatchObject({ kind: 'wrong' });
    expect(await verifyOnCard(NEW_PIN)).toEqual({ kind: 'ok' });
    await card.remove();
  });

  it('counts wrong current PINs down to blocked, then unblocks with the PUK and a new PIN', async () => {
    const card = await insert('healthy', personality);
    const service = pins();
    expect(await service.change(READER_0, 'auth', '111222', NEW_PIN, null)).toMatchObject({ ok: false, code: 'wrong-pin', triesLeft: 2 });
    expect(await service.change(READER_0, 'auth', '111222', NEW_PIN, null)).toMatchObject({ ok: false, code: 'wrong-pin', triesLeft: 1 });
    expect(await service.change(READER_0, 'auth', '111222', NEW_PIN, null)).toMatchObject({ ok: false, code: 'pin-blocked', triesLeft: 0 });
    expect((await service.status(READER_0)).pins.find((p) => p.role === 'auth')).toMatchObject({ blocked: true, triesLeft: 0 });
    expect(await service.unblock(READER_0, 'auth', '87654321', NEW_PIN, null)).toMatchObject({ ok: false, code: 'wrong-puk', triesLeft: 9 });
    expect(await service.unblock(READER_0, 'auth', SCENARIO_PINS.puk, NEW_PIN, null)).toMatchObject({ ok: true, code: 'unblocked' });
    expect(await verifyOnCard(NEW_PIN)).toEqual({ kind: 'ok' });
    await card.remove();
  });

  it('says the card is permanently locked when the PUK is blocked', async () => {
    const card = await insert('puk-blocked', personality);
    expect(await pins().unblock(READER_0, 'auth', SCENARIO_PINS.puk, NEW_PIN, null)).toMatchObject({ ok: false, code: 'puk-blocked' });
    await card.remove();
  });

  it('refuses a PIN of the wrong form or against the policy before anything is sent', async () => {
    const card = await insert('healthy', personality);
    const service = pins();
    expect(await service.change(READER_0, 'auth', '12345', NEW_PIN, null)).toMatchObject({ ok: false, code: 'invalid-format' });
    expect(await service.change(READER_0, 'auth', SCENARIO_PINS.auth, '123456', null)).toMatchObject({ ok: false, code: 'policy', rejections: expect.arrayContaining(['straight-run']) });
    expect(await service.change(READER_0, 'auth', SCENARIO_PINS.auth, '777777', null)).toMatchObject({ ok: false, code: 'policy', rejections: ['all-same-digit'] });
    expect(await service.unblock(READER_0, 'auth', '1234', NEW_PIN, null)).toMatchObject({ ok: false, code: 'invalid-format' });
    expect(card.instructions.filter((ins) => ins === INS_CHANGE || ins === INS_RESET_RETRY)).toEqual([]);
    expect((await service.status(READER_0)).pins.find((p) => p.role === 'auth')?.triesLeft).toBe(3);
    await card.remove();
  });

  it('sends one command when the same change is submitted twice at once', async () => {
    const card = await insert('healthy', personality);
    const service = pins();
    const results = await Promise.allSettled([
      service.change(READER_0, 'auth', SCENARIO_PINS.auth, NEW_PIN, null),
      service.change(READER_0, 'auth', SCENARIO_PINS.auth, NEW_PIN, null),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.code : (r.reason as { code: string }).code)).sort()).toEqual(['changed', 'reader-busy']);
    expect(card.instructions.filter((ins) => ins === INS_CHANGE)).toHaveLength(1);
    await card.remove();
  });
});

describe('the PIN policy with a known holder', () => {
  const personnummer = personnummerFor(4242);
  const birthDate = personnummer.slice(2, 8);
  // six digits in a row from the mobile 0709876543, and no straight run of their own
  const fromMobile = '709876';
  beforeAll(async () => {
    await createPerson(database(), FULL_SCOPE, {
      firstName: 'Anna',
      surname: 'Testsson',
      personnummer,
      hsaId: SCENARIO_HOLDER.hsaId,
      username: null,
      email: null,
      mobile: '0709876543',
      employmentType: 'region',
      employmentEnd: null,
      unitIds: [],
    });
  });

  /** The station's service trusting the scenario PKI's roots and CRL, on a clock the test can move. */
  async function holderAwareService(clock = { now: new Date() }) {
    const { trustedRoots, crls } = await createScenario('healthy');
    return createPinService({
      readers,
      audit: pinAuditWriter(database(), async () => 'Teststation'),
      holderOf: holderByHsaId(database()),
      trust: { trustedRoots: () => trustedRoots, crls: async () => crls },
      now: () => clock.now,
    });
  }

  it("advises against the holder's birth date and mobile digits with one answer that names neither, and changes it once the holder confirms", async () => {
    const card = await insert('healthy', 'pkcs15');
    onTestFinished(() => card.remove());
    const service = await holderAwareService();
    const before = (await database().value<number | null>('SELECT max(id) FROM audit_entry')) ?? 0;
    const advised = { ok: false, code: 'holder-advice', triesLeft: null, rejections: ['linked-to-holder'] };
    expect(await service.change(READER_0, 'auth', SCENARIO_PINS.auth, birthDate, null)).toEqual(advised);
    expect(await service.change(READER_0, 'auth', SCENARIO_PINS.auth, fromMobile, null)).toEqual(advised);
    expect(card.instructions.filter((ins) => ins === INS_CHANGE)).toEqual([]);
    // a hard rule is not waived by the confirmation
    expect(await service.change(READER_0, 'auth', SCENARIO_PINS.auth, '777777', null, true)).toMatchObject({ ok: false, code: 'policy', rejections: ['all-same-digit'] });
    expect(await service.change(READER_0, 'auth', SCENARIO_PINS.auth, birthDate, null, true)).toEqual({ ok: true, code: 'changed', triesLeft: null, rejections: [] });

    const rows = await database().all<{ outcome: string; details: string }>('SELECT outcome, details FROM audit_entry WHERE id > ? ORDER BY id', [before]);
    expect(rows.map((row) => [row.outcome, (JSON.parse(row.details) as { result: string }).result])).toEqual([
      ['refused', 'holder-advice'],
      ['refused', 'holder-advice'],
      ['refused', 'policy'],
      ['ok', 'changed'],
    ]);
    expect((JSON.parse(rows[3]!.details) as { advisedAgainst?: boolean }).advisedAgainst).toBe(true);
    const logged = JSON.stringify(rows);
    for (const secret of [birthDate, fromMobile, SCENARIO_PINS.auth]) expect(logged).not.toContain(secret);
  });

  it.each(['untrusted-issuer', 'revoked'] as const)("gives a %s card with the holder's HSA-ID no answer about the holder", async (scenario) => {
    const card = await insert(scenario, 'pkcs15');
    onTestFinished(() => card.remove());
    const service = await holderAwareService();
    // the probe: a PIN made of the holder's facts is treated exactly like any other acceptable PIN
    expect(await service.change(READER_0, 'auth', SCENARIO_PINS.auth, birthDate, null)).toEqual({ ok: true, code: 'changed', triesLeft: null, rejections: [] });
    expect(await service.change(READER_0, 'auth', birthDate, fromMobile, null)).toEqual({ ok: true, code: 'changed', triesLeft: null, rejections: [] });
  });

  it('audits policy refusals and advice without the value and stops checking a card after five in ten minutes', async () => {
    const card = await insert('healthy', 'pkcs15');
    onTestFinished(() => card.remove());
    const clock = { now: new Date() };
    const service = await holderAwareService(clock);
    const before = (await database().value<number | null>('SELECT max(id) FROM audit_entry')) ?? 0;
    // advice counts like a refusal: it would tell a guesser as much
    const tries = [
      [birthDate, 'holder-advice'],
      [fromMobile, 'holder-advice'],
      ['123456', 'policy'],
      ['777777', 'policy'],
      [birthDate, 'holder-advice'],
    ] as const;
    for (const [next, code] of tries) expect(await service.change(READER_0, 'auth', SCENARIO_PINS.auth, next, null)).toMatchObject({ ok: false, code });
    expect(await service.change(READER_0, 'auth', SCENARIO_PINS.auth, NEW_PIN, null)).toEqual({ ok: false, code: 'try-later', triesLeft: null, rejections: [] });
    expect(await service.unblock(READER_0, 'auth', SCENARIO_PINS.puk, NEW_PIN, null)).toMatchObject({ ok: false, code: 'try-later' });
    expect(card.instructions.filter((ins) => ins === INS_CHANGE || ins === INS_RESET_RETRY)).toEqual([]);

    const rows = await database().all<{ action: string; outcome: string; details: string }>('SELECT * FROM audit_entry WHERE id > ? ORDER BY id', [before]);
    expect(rows.map((row) => [row.action, row.outcome, (JSON.parse(row.details) as { result: string }).result])).toEqual([
      ...tries.map(([, code]) => ['pin.changed', 'refused', code]),
      ['pin.changed', 'refused', 'try-later'],
      ['pin.unblocked', 'refused', 'try-later'],
    ]);
    const logged = JSON.stringify(rows.map(({ details }) => details));
    for (const secret of [birthDate, fromMobile, '777777', NEW_PIN, SCENARIO_PINS.puk]) expect(logged).not.toContain(secret);

    clock.now = new Date(clock.now.getTime() + 10 * 60_000 + 1);
    expect(await service.change(READER_0, 'auth', SCENARIO_PINS.auth, NEW_PIN, null)).toMatchObject({ ok: true, code: 'changed' });
  });
});

describe('the audit trail of PIN attempts', () => {
  it('records each attempt with reader and card serial, and no PIN or PUK value', async () => {
    // a database of its own: this test reads every PIN row, whatever ran before it
    const own = await openTestRegister(mkdtempSync(join(tmpdir(), 'kortstation-pin-audit-')));
    try {
      const service = createPinService({ readers, audit: pinAuditWriter(own, async () => 'Teststation') });
      const card = await insert('healthy', 'pkcs15');
      try {
        expect(await service.change(READER_0, 'auth', '111222', NEW_PIN, null)).toMatchObject({ code: 'wrong-pin' });
        expect(await service.unblock(READER_0, 'auth', '87654321', NEW_PIN, null)).toMatchObject({ code: 'wrong-puk' });
        expect(await service.change(READER_0, 'auth', SCENARIO_PINS.auth, NEW_PIN, null)).toMatchObject({ code: 'changed' });
      } finally {
        await card.remove();
      }
      const rows = await own.all<Record<string, unknown>>("SELECT * FROM audit_entry WHERE action LIKE 'pin.%' ORDER BY id");
      expect(rows.map((row) => [row.action, JSON.parse(String(row.details)).result])).toEqual([
        ['pin.changed', 'wrong-pin'],
        ['pin.unblocked', 'wrong-puk'],
        ['pin.changed', 'changed'],
      ]);
      expect(rows.every((row) => row.subject_type === 'card' && String(row.details).includes(READER_0))).toBe(true);
      // the card serial happens to contain 123456, so every column but the subject is searched
      const everythingButSerials = JSON.stringify(rows.map(({ subject_id: _serial, ...rest }) => rest));
      for (const secret of [SCENARIO_PINS.auth, SCENARIO_PINS.puk, NEW_PIN, '111222', '87654321']) expect(everythingButSerials).not.toContain(secret);
      expect(await verifyAudit(own)).toMatchObject({ ok: true });
    } finally {
      await own.close();
    }
  });
});
