// The register extract (GDPR art. 15): every kind of data held about one person with history, nothing of anyone else, and the extract itself in the trail.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RegisterExtract } from '@shared/contract';
import { appendAudit } from '../../src-main/audit/audit';
import type { OpenRegister } from '../../src-main/db/data-layer';
import { createOrganisation, createStation, createUnit, FULL_SCOPE } from '../../src-main/organisation/organisation';
import { createPerson, viewPerson } from '../../src-main/people/people';
import { testPerson } from '../people-data';
import { runCliAsync } from '../support/cli';
import { openTestRegister } from '../support/register';

// the register keeps mobiles in international form
const international = (mobile: string): string => `+46${mobile.slice(1)}`;
const STATION = 'Station Akademiska';
const AT = '2026-03-02T09:00:00.000Z';
const anna = testPerson(11);
const bo = { ...testPerson(12), firstName: 'Bosse', surname: 'Främling' };

let dataDir: string;
let db: OpenRegister;
let annaId: number;
let boId: number;

async function historyOf(personId: number, who: typeof anna, cardNumber: string, kalle: number): Promise<{ order: number; token: number }> {
  const order = await db.insert(
    "INSERT INTO card_order (person_id, order_date, order_reference, state, card_number, photographed_at, handed_over_at, created_at, updated_at) VALUES (?, '2026-02-01', 'BEST-1', 'blocked', ?, ?, ?, ?, ?)",
    [personId, cardNumber, AT, AT, AT, AT],
  );
  await db.run("INSERT INTO card_event (order_id, at, action, station, actor, details) VALUES (?, ?, 'order', ?, ?, ?)", [order, AT, STATION, String(kalle), JSON.stringify({ orderReference: 'BEST-1' })]);
  await db.run("INSERT INTO card_event (order_id, at, action, station, actor, details) VALUES (?, ?, 'hand-over', ?, ?, ?)", [
    order, AT, STATION, String(kalle), JSON.stringify({ documentType: 'passport', documentLastFour: cardNumber.slice(-4), documentExpiry: '2030-01-01', documentNote: null }),
  ]);
  await db.run("INSERT INTO block_request (order_id, card_number, reason, reported_by, note, at, station, staff, keep_until) VALUES (?, ?, 'lost', ?, ?, ?, ?, ?, '2036-03-02T09:00:00.000Z')", [
    order, cardNumber, `${who.firstName} själv`, `tappat av ${who.firstName}`, AT, STATION, String(kalle),
  ]);
  await appendAudit(db, { station: STATION, actor: String(kalle), action: 'card.block', subjectType: 'card', subjectId: String(order), outcome: 'ok', details: { reason: 'lost' } });
  // PIN work at the counter names the card by its number
  await appendAudit(db, { station: STATION, actor: null, action: 'pin.changed', subjectType: 'card', subjectId: cardNumber, outcome: 'ok', details: { which: 'auth' } });
  const token = await db.insert(
    "INSERT INTO token (serial, kind, algorithm, digits, period, t0, sealed_seed, category, state, person_id, issued_at, imported_at, state_changed_at) VALUES (?, 'totp', 'SHA1', 6, 30, 0, ?, 'kommunal', 'issued', ?, ?, ?, ?)",
    [`OTP-${personId}`, new Uint8Array([1, 2, 3]), personId, AT, AT, AT],
  );
  await db.run("INSERT INTO token_event (token_id, at, action, person_id, actor, details) VALUES (?, ?, 'token.issued', ?, ?, ?)", [token, AT, personId, String(kalle), JSON.stringify({ personId, category: 'kommunal' })]);
  await appendAudit(db, { station: STATION, actor: String(kalle), action: 'token.issued', subjectType: 'token', subjectId: `OTP-${personId}`, outcome: 'ok', details: { personId, category: 'kommunal' } });
  await db.run("INSERT INTO charge (at, month, kind, amount_ore, person_id, unit_id, reference, token_id) VALUES (?, '2026-03', 'lost-token', 20000, ?, NULL, 'K100', ?)", [AT, personId, token]);
  await db.run("INSERT INTO outbox (created_at, to_address, subject, body, template, state, attempts, sent_at) VALUES (?, ?, 'Ditt kort är klart', ?, 'card-ready', 'sent', 1, ?)", [AT, who.email, `Hej ${who.firstName}!`, AT]);
  await viewPerson(db, FULL_SCOPE, personId, { actor: String(kalle), station: STATION, now: new Date(AT) });
  return { order, token };
}

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kortstation-extract-'));
  db = await openTestRegister(dataDir);
  await db.run("INSERT INTO setting (key, value) VALUES ('station.name', ?)", [STATION]);
  await createStation(db, { name: STATION, site: 'Ingång 70', address: 'Sjukhusvägen 1' });
  const region = await createOrganisation(db, { name: 'Region Uppsala', kind: 'region' });
  const akuten = await createUnit(db, { organisationId: region.id, parentId: null, name: 'Akuten', reference: 'K100' });
  const kalle = await db.insert("INSERT INTO staff_account (username, display_name, role, created_at, updated_at) VALUES ('kalle', 'Kalle Kortsson', 'operator', ?, ?)", [AT, AT]);
  annaId = (await createPerson(db, FULL_SCOPE, { ...anna, employmentType: 'region', employmentEnd: null, unitIds: [akuten.id] })).id;
  boId = (await createPerson(db, FULL_SCOPE, { ...bo, employmentType: 'kommunal', employmentEnd: null, unitIds: [akuten.id] })).id;
  await historyOf(boId, bo, '9752269000000002', kalle);
  const annas = await historyOf(annaId, anna, '9752269000000001', kalle);
  // Bo had Anna's token before her: his time with it is his, not hers
  await db.run("INSERT INTO token_event (token_id, at, action, person_id, actor, details) VALUES (?, '2025-01-01T08:00:00.000Z', 'token.returned', ?, ?, NULL)", [annas.token, boId, String(kalle)]);
  await appendAudit(db, { station: STATION, actor: String(kalle), action: 'token.returned', subjectType: 'token', subjectId: `OTP-${annaId}`, outcome: 'ok', details: { personId: boId } });
});

afterEach(async () => {
  await db.close();
});

const extract = (args: string[], input: string) => runCliAsync(['people', 'extract', ...args, '--data', dataDir, '--json'], { input });

describe('register extract', () => {
  it('holds every kind of data about the person, nothing of anyone else, and is itself audited', async () => {
    const result = await extract([], `${anna.personnummer}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const got = JSON.parse(result.stdout) as RegisterExtract;
    expect(got.person).toMatchObject({ id: annaId, firstName: anna.firstName, surname: anna.surname, hsaId: anna.hsaId, username: anna.username, email: anna.email, mobile: international(anna.mobile), employmentType: 'region' });
    expect(got.person.personnummer.replace('-', '')).toBe(anna.personnummer);
    expect(got.units.map((unit) => unit.reference)).toEqual(['K100']);
    expect(got.cards).toHaveLength(1);
    expect(got.cards[0]).toMatchObject({ cardNumber: '9752269000000001', state: 'blocked' });
    expect(got.cards[0]!.events.map((event) => [event.action, event.actor])).toEqual([['order', 'Kalle Kortsson'], ['hand-over', 'Kalle Kortsson']]);
    expect(got.cards[0]!.blockRequests).toEqual([expect.objectContaining({ reason: 'lost', reportedBy: `${anna.firstName} själv`, keepUntil: '2036-03-02T09:00:00.000Z' })]);
    expect(got.idDocuments).toEqual([{ at: AT, orderId: got.cards[0]!.orderId, type: 'passport', lastFour: '0001', expiry: '2030-01-01', note: null }]);
    expect(got.tokens).toEqual([expect.objectContaining({ serial: `OTP-${annaId}`, held: true, events: [expect.objectContaining({ action: 'token.issued', actor: 'Kalle Kortsson' })] })]);
    expect(got.charges).toEqual([expect.objectContaining({ kind: 'lost-token', amountOre: 20000, tokenSerial: `OTP-${annaId}` })]);
    expect(got.mails).toEqual([expect.objectContaining({ to: anna.email, body: `Hej ${anna.firstName}!`, state: 'sent' })]);
    const actions = got.auditEntries.map((entry) => entry.action);
    // viewed, card blocked, PIN changed on her card, token issued, and this extract; person.created is recorded by the router, not the service
    expect(actions).toEqual(['card.block', 'pin.changed', 'token.issued', 'person.viewed', 'person.extracted']);
    expect(got.auditEntries.find((entry) => entry.action === 'person.viewed')).toMatchObject({ actor: 'Kalle Kortsson', at: AT, station: STATION });
    expect(got.auditEntries.at(-1)).toMatchObject({ subjectType: 'person', subjectId: String(annaId), actor: expect.stringMatching(/^cli:/), outcome: 'ok' });

    const text = result.stdout;
    for (const foreign of [bo.firstName, bo.surname, bo.personnummer, bo.personnummer.slice(2), bo.email, bo.mobile, international(bo.mobile), bo.hsaId, bo.username, '9752269000000002', `OTP-${boId}`, 'token.returned']) expect(text).not.toContain(foreign);
    const trail = await db.all<{ action: string; subject_id: string }>("SELECT action, subject_id FROM audit_entry WHERE action = 'person.extracted'");
    expect(trail).toEqual([{ action: 'person.extracted', subject_id: String(annaId) }]);
  });

  it('refuses a personnummer on the command line, where every user of the machine can read it', async () => {
    const result = await extract([anna.personnummer], '');
    expect(result.status).toBe(64);
    expect(result.stdout).not.toContain(anna.firstName);
    expect(JSON.parse(result.stdout).error.message).toContain('standard input');
    expect(await db.value("SELECT count(*) FROM audit_entry WHERE action = 'person.extracted'")).toBe(0);
  });

  it('says so when nobody has the personnummer', async () => {
    const result = await extract([], `${testPerson(99).personnummer}\n`);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).error.code).toBe('not-found');
  });
});
