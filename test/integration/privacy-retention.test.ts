// Retention (gallring): a dry run counts and a run removes exactly what the rules say, on both sides of each boundary, with the clock injected.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RetentionRun } from '@shared/contract';
import { verifyAudit } from '../../src-main/audit/verify';
import type { OpenRegister } from '../../src-main/db/data-layer';
import { createOrganisation, createUnit, FULL_SCOPE } from '../../src-main/organisation/organisation';
import { createPerson } from '../../src-main/people/people';
import { retentionOverview, runRetention, setRetentionPeriod } from '../../src-main/privacy/retention';
import { testPerson } from '../people-data';
import { runCliAsync } from '../support/cli';
import { openTestRegister } from '../support/register';

// 1 June 2026, noon in Sweden: the Swedish calendar day and the UTC day agree
const NOW = new Date('2026-06-01T10:00:00.000Z');
const DAY = 86_400_000;
const before = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();
const by = (now = NOW) => ({ actor: 'test', station: 'Station Akademiska', now });

let dataDir: string;
let db: OpenRegister;
let unitId: number;

async function person(n: number, employmentEnd: string | null): Promise<number> {
  // an end date in the past is refused at entry, so it is written as the years passing would leave it
  const id = (await createPerson(db, FULL_SCOPE, { ...testPerson(n), employmentType: 'region', employmentEnd: null, unitIds: [unitId] }, NOW)).id;
  await db.run('UPDATE person SET employment_end = ? WHERE id = ?', [employmentEnd, id]);
  return id;
}

async function mail(sentAt: string | null, to = 'someone@example.se'): Promise<number> {
  return db.insert("INSERT INTO outbox (created_at, to_address, subject, body, template, state, attempts, sent_at) VALUES (?, ?, 'Ämne', 'Hej!', 'card-ready', ?, 1, ?)", [
    sentAt ?? NOW.toISOString(), to, sentAt === null ? 'queued' : 'sent', sentAt,
  ]);
}

async function blockRequest(personId: number, keepUntil: string): Promise<number> {
  const order = await db.insert("INSERT INTO card_order (person_id, order_date, order_reference, state, card_number, created_at, updated_at) VALUES (?, '2016-01-01', 'B', 'blocked', ?, ?, ?)", [personId, `97522690000${(cards += 1)}`, NOW.toISOString(), NOW.toISOString()]);
  return db.insert("INSERT INTO block_request (order_id, card_number, reason, reported_by, note, at, station, staff, keep_until, state) VALUES (?, 'X', 'lost', 'Chef', NULL, '2016-06-01T10:00:00.000Z', 'S', '1', ?, 'closed')", [order, keepUntil]);
}

let cards = 0;
let ids: Record<'leftExactlyTwoYearsAgo' | 'leftADayLess' | 'leftLongAgoWithToken' | 'stillEmployed' | 'sentExactly90DaysAgo' | 'sentJustUnder90DaysAgo' | 'queuedLongAgo' | 'blockDueNow' | 'blockDueInAMoment', number>;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kortstation-retention-'));
  db = await openTestRegister(dataDir);
  const region = await createOrganisation(db, { name: 'Region Uppsala', kind: 'region' });
  unitId = (await createUnit(db, { organisationId: region.id, parentId: null, name: 'Akuten', reference: 'K100' })).id;
  const leftExactlyTwoYearsAgo = await person(1, '2024-06-01');
  const leftADayLess = await person(2, '2024-06-02');
  const leftLongAgoWithToken = await person(3, '2020-01-01');
  const stillEmployed = await person(4, null);
  // the handover of the person who left: its ID-document facts go with them
  const handed = await db.insert("INSERT INTO card_order (person_id, order_date, order_reference, state, card_number, created_at, updated_at) VALUES (?, '2022-01-01', 'A', 'returned', '9752269000000777', ?, ?)", [leftExactlyTwoYearsAgo, NOW.toISOString(), NOW.toISOString()]);
  await db.run("INSERT INTO card_event (order_id, at, action, station, details) VALUES (?, '2022-01-02T10:00:00.000Z', 'hand-over', 'S', ?)", [handed, JSON.stringify({ documentType: 'pass', documentLastFour: '1234', documentExpiry: '2027-01-01' })]);
  await db.run(
    "INSERT INTO token (serial, kind, algorithm, digits, period, t0, sealed_seed, category, state, person_id, issued_at, imported_at, state_changed_at) VALUES ('OTP-9', 'totp', 'SHA1', 6, 30, 0, ?, 'kommunal', 'issued', ?, ?, ?, ?)",
    [new Uint8Array([1]), leftLongAgoWithToken, NOW.toISOString(), NOW.toISOString(), NOW.toISOString()],
  );
  ids = {
    leftExactlyTwoYearsAgo,
    leftADayLess,
    leftLongAgoWithToken,
    stillEmployed,
    sentExactly90DaysAgo: await mail(before(90 * DAY)),
    sentJustUnder90DaysAgo: await mail(before(90 * DAY - 1)),
    queuedLongAgo: await mail(null),
    blockDueNow: await blockRequest(stillEmployed, NOW.toISOString()),
    blockDueInAMoment: await blockRequest(stillEmployed, new Date(NOW.getTime() + 1).toISOString()),
  };
});

afterEach(async () => {
  await db.close();
});

const EXPECTED = { 'outbox-bodies': 1, 'people-who-left': 1, 'id-document-facts': 1, 'block-requests': 1, 'audit-rows': 0 };

async function state() {
  return {
    bodies: await db.all<{ id: number; body: string }>('SELECT id, body FROM outbox ORDER BY id'),
    names: await db.all<{ id: number; first_name: string }>('SELECT id, first_name FROM person ORDER BY id'),
    blocks: await db.column<number>('SELECT id FROM block_request ORDER BY id'),
    events: await db.column<string>('SELECT details FROM card_event ORDER BY id'),
  };
}

describe('retention', () => {
  it('a dry run counts, a run removes exactly that at the boundaries, and a second run finds nothing', async () => {
    const untouched = await state();
    const dry = await runRetention(db, by(), true);
    expect(dry).toEqual({ at: NOW.toISOString(), dryRun: true, removed: EXPECTED });
    expect(await state()).toEqual(untouched);
    expect((await retentionOverview(db)).lastRun).toBeNull();

    const run = await runRetention(db, by(), false);
    expect(run.removed).toEqual(EXPECTED);
    const after = await state();
    expect(after.bodies).toEqual([
      { id: ids.sentExactly90DaysAgo, body: '' },
      { id: ids.sentJustUnder90DaysAgo, body: 'Hej!' },
      { id: ids.queuedLongAgo, body: 'Hej!' },
    ]);
    const firstName = (id: number) => after.names.find((row) => row.id === id)!.first_name;
    expect(firstName(ids.leftExactlyTwoYearsAgo)).not.toBe(testPerson(1).firstName);
    expect(firstName(ids.leftADayLess)).toBe(testPerson(2).firstName);
    expect(firstName(ids.leftLongAgoWithToken)).toBe(testPerson(3).firstName);
    expect(firstName(ids.stillEmployed)).toBe(testPerson(4).firstName);
    expect(after.blocks).toEqual([ids.blockDueInAMoment]);
    expect(after.events).toEqual([JSON.stringify({ documentType: 'pass' })]);

    expect((await verifyAudit(db)).ok).toBe(true);
    expect(await db.column("SELECT action FROM audit_entry WHERE action IN ('retention.ran', 'person.erased') ORDER BY id")).toEqual(['person.erased', 'retention.ran']);
    expect((await retentionOverview(db)).lastRun).toEqual({ at: NOW.toISOString(), removed: EXPECTED });
    expect((await runRetention(db, by(), false)).removed).toEqual({ 'outbox-bodies': 0, 'people-who-left': 0, 'id-document-facts': 0, 'block-requests': 0, 'audit-rows': 0 });
  });

  it('takes a period within its bounds only, and the next run follows it', async () => {
    await expect(setRetentionPeriod(db, 'outbox-bodies', 29, by())).rejects.toMatchObject({ code: 'retention-out-of-bounds' });
    await expect(setRetentionPeriod(db, 'block-requests', 5, by())).rejects.toMatchObject({ code: 'retention-out-of-bounds' });
    await expect(setRetentionPeriod(db, 'audit-rows', 1, by())).rejects.toMatchObject({ code: 'retention-out-of-bounds' });
    const overview = await setRetentionPeriod(db, 'outbox-bodies', 30, by());
    expect(overview.rules.find((rule) => rule.id === 'outbox-bodies')).toMatchObject({ value: 30, basis: expect.stringContaining('GDPR') });
    expect((await runRetention(db, by(), true)).removed['outbox-bodies']).toBe(2);
    expect(await db.value("SELECT details FROM audit_entry WHERE action = 'retention.rule-changed'")).toBe(JSON.stringify({ rule: 'outbox-bodies', value: 30, unit: 'days' }));
  });

  it('cli retention run --dry-run prints what each rule would remove, under the station clock', async () => {
    // the shifted clock runs on from its start: a minute before NOW, the mail and block request due at NOW are not due yet
    const clock = fileURLToPath(new URL('../support/shifted-clock.mjs', import.meta.url));
    const result = await runCliAsync(['retention', 'run', '--dry-run', '--data', dataDir, '--json'], { env: { ...process.env, NODE_OPTIONS: `--import ${clock}`, KORTSTATION_TEST_START_AT: before(60_000) } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const run = JSON.parse(result.stdout) as RetentionRun;
    expect(run).toMatchObject({ dryRun: true, removed: { ...EXPECTED, 'outbox-bodies': 0, 'block-requests': 0 } });
    expect(await db.value("SELECT count(*) FROM audit_entry WHERE action = 'retention.ran'")).toBe(0);
  });
});
