// Two people with a history of every kind the register keeps (card with events and a block request, ID document, token, charge, e-mail, audit rows), for the privacy tests.
import { appendAudit } from '../../src-main/audit/audit';
import type { Db } from '../../src-main/db/data-layer';
import { createOrganisation, createStation, createUnit, FULL_SCOPE } from '../../src-main/organisation/organisation';
import { createPerson, viewPerson } from '../../src-main/people/people';
import { testPerson, type TestPerson } from '../people-data';

export const STATION = 'Station Akademiska';
export const AT = '2026-03-02T09:00:00.000Z';
/** The register keeps mobiles in international form. */
export const international = (mobile: string): string => `+46${mobile.slice(1)}`;
export const anna: TestPerson = testPerson(11);
export const bo: TestPerson = { ...testPerson(12), firstName: 'Bosse', surname: 'Främling' };
// anställningsnummer: personal data the extract shows and erasure clears
export const ANNA_EMPLOYEE_NUMBER = 'ANST-7001';
export const BO_EMPLOYEE_NUMBER = 'ANST-7002';

export interface History {
  annaId: number;
  boId: number;
  annasToken: number;
  annasOrder: number;
}

async function historyOf(db: Db, personId: number, who: TestPerson, cardNumber: string, kalle: number): Promise<{ order: number; token: number }> {
  const order = await db.insert(
    "INSERT INTO card_order (person_id, order_date, order_reference, state, card_number, photographed_at, handed_over_at, created_at, updated_at) VALUES (?, '2026-02-01', 'BEST-1', 'blocked', ?, ?, ?, ?, ?)",
    [personId, cardNumber, AT, AT, AT, AT],
  );
  await db.run("INSERT INTO card_event (order_id, at, action, station, actor, details) VALUES (?, ?, 'order', ?, ?, ?)", [order, AT, STATION, String(kalle), JSON.stringify({ orderReference: 'BEST-1' })]);
  await db.run("INSERT INTO card_event (order_id, at, action, station, actor, details) VALUES (?, ?, 'hand-over', ?, ?, ?)", [
    order, AT, STATION, String(kalle), JSON.stringify({ documentType: 'passport', documentLastFour: cardNumber.slice(-4), documentExpiry: '2030-01-01', documentNote: null }),
  ]);
  await db.run("INSERT INTO block_request (order_id, card_number, reason, reported_by, note, at, station, staff, keep_until, state) VALUES (?, ?, 'lost', ?, ?, ?, ?, ?, '2036-03-02T09:00:00.000Z', 'requested')", [
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

/** Anna and Bo in one unit, each with a full history; Bo had Anna's token before her. */
export async function seedTwoPeople(db: Db): Promise<History> {
  await db.run("INSERT INTO setting (key, value) VALUES ('station.name', ?)", [STATION]);
  await createStation(db, { name: STATION, site: 'Ingång 70', address: 'Sjukhusvägen 1' });
  const region = await createOrganisation(db, { name: 'Region Uppsala', kind: 'region' });
  const akuten = await createUnit(db, { organisationId: region.id, parentId: null, name: 'Akuten', reference: 'K100' });
  const kalle = await db.insert("INSERT INTO staff_account (username, display_name, role, created_at, updated_at) VALUES ('kalle', 'Kalle Kortsson', 'operator', ?, ?)", [AT, AT]);
  const annaId = (await createPerson(db, FULL_SCOPE, { ...anna, employmentType: 'region', employmentEnd: null, employeeNumber: ANNA_EMPLOYEE_NUMBER, unitIds: [akuten.id] })).id;
  const boId = (await createPerson(db, FULL_SCOPE, { ...bo, employmentType: 'kommunal', employmentEnd: null, employeeNumber: BO_EMPLOYEE_NUMBER, unitIds: [akuten.id] })).id;
  await historyOf(db, boId, bo, '9752269000000002', kalle);
  const annas = await historyOf(db, annaId, anna, '9752269000000001', kalle);
  await db.run("INSERT INTO token_event (token_id, at, action, person_id, actor, details) VALUES (?, '2025-01-01T08:00:00.000Z', 'token.returned', ?, ?, NULL)", [annas.token, boId, String(kalle)]);
  await appendAudit(db, { station: STATION, actor: String(kalle), action: 'token.returned', subjectType: 'token', subjectId: `OTP-${annaId}`, outcome: 'ok', details: { personId: boId } });
  return { annaId, boId, annasToken: annas.token, annasOrder: annas.order };
}
