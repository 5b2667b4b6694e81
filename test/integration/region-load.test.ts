// 20 stations × 200 mixed operations at once on one region database: afterwards every rule holds, the rows add up to what succeeded, and the audit trail verifies.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendAudit } from '../../src-main/audit/audit';
import { verifyAudit } from '../../src-main/audit/verify';
import { auditKeyFromDataKey } from '../../src-main/audit/key';
import { AppError } from '../../src-main/app-error';
import { createCardLifecycle, type Caller } from '../../src-main/cards/lifecycle';
import { openDatabase, type OpenRegister } from '../../src-main/db/open';
import { STATION_NAME_SETTING } from '../../src-main/organisation/station-label';
import { parsePeopleFile } from '../../src-main/people/import';
import { importPeopleAudited } from '../../src-main/people/import-apply';
import { searchPeople } from '../../src-main/people/people';
import { closeInvoiceMonth, invoiceMonth } from '../../src-main/reports/invoices';
import { chargeMonth } from '@shared/domain/token-charges';
import type { Operator } from '../../src-main/router';
import { issueToken } from '../../src-main/tokens/counter';
import { importTokens } from '../../src-main/tokens/import';
import { keyFileDataKeySource } from '../../src-main/tokens/seed-crypto';
import { reportLostToken, returnToken, tokensOfPerson } from '../../src-main/tokens/stock';
import type { TokenServiceContext } from '../../src-main/tokens/store';
import { csvLine, personnummerFor, TEMPLATE_HEADER, testPerson } from '../people-data';
import { generatePskc, generatePskcTokens } from '../sim/pskc-generator';
import { SCENARIO_HOLDER, SCENARIO_SERIAL } from '../sim/scenarios';
import { READER_1 } from '../support/pcscd';
import { testedCardInReader1, type TestedCard } from '../support/tested-card';
import { freshPostgresDatabase } from '../support/postgres';

/**
 * A "station" here is one register opened on the region database (its own pg pool, so its own server sessions) with its
 * own station name, running its operations one after another as one counter does. Twenty Node processes would spend the
 * 2-core machine on starting Node, not on the database, where the races are; separate station processes racing are
 * region-races.test.ts. The one virtual card and its reader are shared: only the card's tested report matters here.
 */
const STATIONS = 20;
const OPERATIONS = 200;
const PEOPLE = 120;
const TOKENS = 150;
const ORDERS = 60;
const CLOSABLE_MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
const STATION_NAME = 'Region Uppsala';
const admin: Operator = { id: 1, role: 'station-admin', unitIds: [] };
const caller: Caller = { actor: '1', scope: { kind: 'all' } };

/** The refusals a counter may meet when another station was first; anything else (a crash, a raw database error) fails the test. */
const RACE_REFUSALS = new Set(['token-wrong-state', 'token-already-issued', 'token-category-taken', 'token-both-taken', 'token-code-wrong', 'card-already-done', 'card-too-early', 'card-number-taken', 'invoice-month-closed']);

const tokens = generatePskcTokens({ count: TOKENS, kind: 'hotp', serialPrefix: 'LD' });
const secretOf = new Map(tokens.map((token) => [token.serial, token.secret]));
let region = '';
let keyDir = '';
const registers: OpenRegister[] = [];
let counter: TestedCard | undefined;
let handoverOrder = 0;
let personIds: number[] = [];

/** A small generator with a seed per station, so a failing run can be repeated. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

const openStation = async (): Promise<OpenRegister> => {
  const register = await openDatabase(region, { auditKey: auditKeyFromDataKey(keyFileDataKeySource(keyDir)) });
  registers.push(register);
  return register;
};

beforeAll(async () => {
  region = await freshPostgresDatabase(inject('postgresUrl'));
  keyDir = mkdtempSync(join(tmpdir(), 'kortstation-load-'));
  const db = await openStation();
  await db.run('INSERT INTO setting (key, value) VALUES (?, ?)', [STATION_NAME_SETTING, STATION_NAME]);
  await db.run("INSERT INTO station (name, site, address) VALUES (?, 'Ingång 70', 'Sjukhusvägen 1')", [STATION_NAME]);
  await db.run("INSERT INTO organisation (id, name, kind) VALUES (1, 'Uppsala kommun', 'kommun')");
  await db.run("INSERT INTO unit (id, organisation_id, name, reference) VALUES (10, 1, 'Hemtjänst Öst', 'K4711'), (11, 1, 'Hemtjänst Väst', 'K4712')");
  const lines = [TEMPLATE_HEADER];
  for (let n = 0; n < PEOPLE; n++) lines.push(csvLine(testPerson(200_000 + n), n % 2 === 0 ? 'K4711' : 'K4712'));
  await importPeopleAudited(db, { kind: 'all' }, await parsePeopleFile(Buffer.from(lines.join('\r\n'))), { station: 'Set-up', actor: '1', now: new Date() });
  personIds = await db.column<number>('SELECT id FROM person ORDER BY id');
  const context: TokenServiceContext = { db, dataKey: keyFileDataKeySource(keyDir), station: async () => 'Set-up', now: () => new Date() };
  await importTokens(context, admin, { file: Buffer.from(generatePskc({ count: TOKENS, kind: 'hotp', serialPrefix: 'LD', encryption: 'none' })), unitReference: 'K4711', decryption: {} });
  const lifecycle = createCardLifecycle({ db, cardTests: { results: () => [], run: async () => Promise.reject(new Error('no card test in set-up')) } });
  for (let n = 0; n < ORDERS; n++) await lifecycle.createOrder({ personId: personIds[n % PEOPLE]!, orderDate: '2026-11-01', orderReference: `BEST-${n}` }, caller);
  // the one order whose card is in the reader
  const [firstName, surname] = SCENARIO_HOLDER.name.split(' ') as [string, string];
  const holder = await db.insert(
    `INSERT INTO person (first_name, surname, personnummer, hsa_id, search_name, search_name_reversed, search_personnummer10, created_at, updated_at)
     VALUES (?, ?, ?, ?, '', '', '', '', '')`,
    [firstName, surname, personnummerFor(1), SCENARIO_HOLDER.hsaId],
  );
  handoverOrder = (await lifecycle.createOrder({ personId: holder, orderDate: '2026-11-01', orderReference: 'BEST-KORT' }, caller)).id;
  await lifecycle.photograph(handoverOrder, caller);
  await lifecycle.produce(handoverOrder, SCENARIO_SERIAL, caller);
  await lifecycle.markReady(handoverOrder, caller);

  counter = await testedCardInReader1();
  for (let n = 1; n < STATIONS; n++) await openStation();
}, 120_000);

afterAll(async () => {
  await counter?.stop();
  await Promise.all(registers.map((register) => register.close()));
});

type Kind = 'issue' | 'return' | 'lost' | 'step' | 'handover' | 'close' | 'import' | 'search' | 'look';
// a counter reads more than it writes: searches, a person's tokens, the month's invoice basis
const MIX: [Kind, number][] = [['issue', 22], ['return', 10], ['lost', 2], ['step', 14], ['handover', 2], ['close', 2], ['import', 6], ['search', 22], ['look', 20]];
const AUDITED_ACTION: Record<Exclude<Kind, 'search' | 'look' | 'step'>, string> = { issue: 'token.issued', return: 'token.returned', lost: 'token.lost', handover: 'card.hand-over', close: 'invoice.month-closed', import: 'people.imported' };

function pickKind(next: () => number): Kind {
  let roll = next() * MIX.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [kind, weight] of MIX) if ((roll -= weight) < 0) return kind;
  return 'search';
}

interface Tally {
  done: Map<string, number>;
  refused: Map<string, number>;
  failures: string[];
}

async function runStation(index: number, db: OpenRegister, tally: Tally): Promise<void> {
  const next = random(index + 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const station = `Station ${index + 1}`;
  const context: TokenServiceContext = { db, dataKey: keyFileDataKeySource(keyDir), station: async () => station, now: () => new Date() };
  const lifecycle = createCardLifecycle({ db, cardTests: counter!.cardTests });
  const count = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);
  for (let n = 0; n < OPERATIONS; n++) {
    const kind = pickKind(next);
    let done = kind as string;
    try {
      if (kind === 'issue') {
        const serial = pick(tokens).serial;
        // the code the token shows next, from the counter as this station last read it: a stale read is a wrong code
        const counter = Number((await db.value<string | null>('SELECT counter FROM token WHERE serial = ?', [serial])) ?? '0');
        await issueToken(context, admin, { personId: pick(personIds), category: next() < 0.5 ? 'kommunal' : 'lov', serial, code: generateSync({ strategy: 'hotp', secret: secretOf.get(serial)!, counter }), idDocument: { type: 'pass', lastFour: '1234', expiry: '2099-12-31', note: null }, kindOverrideReason: 'Anställningsformen saknas i testdata' });
      } else if (kind === 'return') await returnToken(context, admin, pick(tokens).serial);
      else if (kind === 'lost') await reportLostToken(context, admin, { serial: pick(tokens).serial, chargeTo: 'person' });
      else if (kind === 'step') {
        const orderId = 1 + Math.floor(next() * ORDERS);
        const state = await db.value<string>('SELECT state FROM card_order WHERE id = ?', [orderId]);
        done = `step:${state}`;
        if (state === 'ordered') await lifecycle.photograph(orderId, caller);
        else if (state === 'photographed') await lifecycle.produce(orderId, `9752${String(orderId).padStart(16, '0')}`, caller);
        else if (state === 'produced') await lifecycle.markReady(orderId, caller);
        else done = 'step:none';
      } else if (kind === 'handover') {
        await lifecycle.handover({ orderId: handoverOrder, reader: READER_1, idDocument: { type: 'pass', lastFour: '12ab', expiry: '2099-12-31', note: null } }, caller);
      } else if (kind === 'close') await closeInvoiceMonth(db, pick(CLOSABLE_MONTHS), { actor: '1', station, now: new Date() });
      else if (kind === 'import') {
        // overlapping slices of one staff list: other stations import the same people at the same time
        const from = Math.floor(next() * (PEOPLE + 40));
        const lines = [TEMPLATE_HEADER];
        for (let p = from; p < from + 10; p++) lines.push(csvLine(testPerson(200_000 + p), p % 2 === 0 ? 'K4711' : 'K4712'));
        const report = await importPeopleAudited(db, { kind: 'all' }, await parsePeopleFile(Buffer.from(lines.join('\r\n'))), { station, actor: '1', now: new Date() });
        if (report.errors.length > 0) tally.failures.push(`import refused: ${JSON.stringify(report.errors)}`);
        else count(tally.done, 'import:created', report.created);
      } else if (kind === 'look') {
        await tokensOfPerson(context, admin, pick(personIds));
        await invoiceMonth(db, chargeMonth(new Date()), { kind: 'all' }, new Date());
      } else await searchPeople(db, { kind: 'all' }, pick(['and', 'berg', '19', 'Lars Ni', 'u0']));
      count(tally.done, done);
    } catch (error) {
      if (error instanceof AppError && RACE_REFUSALS.has(error.code)) count(tally.refused, `${kind}:${error.code}`);
      else tally.failures.push(`${station} ${kind}: ${(error as Error).stack ?? String(error)}`);
    }
  }
}

describe('20 stations × 200 operations at once on one region database', () => {
  it('keeps every rule, the rows add up to the successes, and the audit trail verifies without a lost or doubled row', async () => {
    const db = registers[0]!;
    const auditBefore = await db.value<number>('SELECT count(*) FROM audit_entry');
    const okBefore = new Map((await db.all<{ action: string; rows: number }>("SELECT action, count(*) AS rows FROM audit_entry WHERE outcome = 'ok' GROUP BY action")).map((row) => [row.action, row.rows]));
    const peopleBefore = await db.value<number>('SELECT count(*) FROM person');
    const tally: Tally = { done: new Map(), refused: new Map(), failures: [] };
    await Promise.all(registers.map((register, index) => runStation(index, register, tally)));
    expect(tally.failures).toEqual([]);
    const done = (kind: string): number => tally.done.get(kind) ?? 0;
    const rows = (text: string, params: unknown[] = []) => db.value<number>(text, params);

    // one kommunal and one LOV per person; a token has one holder at a time
    expect(await rows("SELECT count(*) FROM (SELECT person_id, category FROM token WHERE state = 'issued' GROUP BY person_id, category HAVING count(*) > 1) doubled")).toBe(0);
    expect(await rows("SELECT count(*) FROM token WHERE (state = 'issued') <> (person_id IS NOT NULL)")).toBe(0);
    // each token issued at most once between returns: its history alternates issued / returned or lost
    const history = await db.all<{ token_id: number; action: string }>("SELECT token_id, action FROM token_event WHERE action IN ('issued', 'returned', 'lost') ORDER BY token_id, id");
    const holding = new Map<number, boolean>();
    for (const event of history) {
      const held = holding.get(event.token_id) ?? false;
      expect(held, `token ${event.token_id}: ${event.action} while ${held ? 'issued' : 'not issued'}`).toBe(event.action === 'issued' ? false : event.action === 'returned' ? true : held);
      holding.set(event.token_id, event.action === 'issued');
    }
    expect(await rows("SELECT count(*) FROM token_event WHERE action = 'issued'")).toBe(done('issue'));
    expect(await rows("SELECT count(*) FROM token_event WHERE action = 'returned'")).toBe(done('return'));
    // charge counts = lost tokens
    expect(await rows("SELECT count(*) FROM charge WHERE kind = 'lost-token'")).toBe(done('lost'));
    expect(await rows("SELECT count(*) FROM token WHERE state = 'lost'")).toBe(done('lost'));
    expect(await rows("SELECT count(*) FROM token_event WHERE action = 'lost'")).toBe(done('lost'));

    // each order takes each step, and the handover, at most once
    expect(await rows('SELECT count(*) FROM (SELECT order_id, action FROM card_event GROUP BY order_id, action HAVING count(*) > 1) doubled')).toBe(0);
    expect(await rows("SELECT count(*) FROM card_event WHERE action = 'hand-over'")).toBe(done('handover'));
    expect(done('handover')).toBe(1);
    for (const [state, action] of [['ordered', 'photograph'], ['photographed', 'produce'], ['produced', 'mark-ready']] as const) {
      expect(await rows('SELECT count(*) FROM card_event WHERE action = ? AND order_id <> ?', [action, handoverOrder]), action).toBe(done(`step:${state}`));
    }
    // a closed month once
    expect(await rows('SELECT count(*) FROM invoice_month')).toBe(done('close'));
    // people: everyone once, as many new as the imports created
    expect(await rows('SELECT count(*) - count(DISTINCT personnummer) FROM person')).toBe(0);
    expect((await rows('SELECT count(*) FROM person'))! - peopleBefore!).toBe(done('import:created'));

    // the audit trail: one 'ok' row per success of each audited kind, no row lost or doubled, one chain that verifies
    for (const [kind, action] of Object.entries(AUDITED_ACTION)) expect((await rows("SELECT count(*) FROM audit_entry WHERE action = ? AND outcome = 'ok'", [action]))! - (okBefore.get(action) ?? 0), action).toBe(done(kind));
    // the set-up took only the handed-over order through its steps
    const stepRows = await rows("SELECT count(*) FROM audit_entry WHERE action IN ('card.photograph', 'card.produce', 'card.mark-ready') AND outcome = 'ok' AND subject_id <> ?", [String(handoverOrder)]);
    expect(stepRows).toBe(done('step:ordered') + done('step:photographed') + done('step:produced'));
    const refusedHandovers = await rows("SELECT count(*) FROM audit_entry WHERE outcome = 'refused' AND id > ?", [auditBefore]);
    const okRows = Object.keys(AUDITED_ACTION).reduce((sum, kind) => sum + done(kind), 0) + stepRows!;
    expect(await rows('SELECT count(*) FROM audit_entry')).toBe(auditBefore! + okRows + refusedHandovers!);
    expect(await rows("SELECT count(*) FROM audit_entry WHERE outcome = 'refused' AND action <> 'card.hand-over'")).toBe(0);
    const verified = await verifyAudit(db);
    expect(verified).toMatchObject({ ok: true, rows: auditBefore! + okRows + refusedHandovers!, firstBadRow: null });
    // ids come from a sequence that skips the ones retried transactions drew; each station wrote to a chain of its own
    expect(verified.chains.map((chain) => chain.chain)).toEqual(expect.arrayContaining(registers.map((_register, index) => `Station ${index + 1}`)));
    // and the trail is still writable: the next station's row chains on
    await appendAudit(registers[1]!, { station: 'Station 2', actor: '1', action: 'audit.exported', outcome: 'ok' });
    expect((await verifyAudit(registers[2]!)).ok).toBe(true);
  }, 120_000);
});
