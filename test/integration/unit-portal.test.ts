// The unit portal (issue 13) through a whole station's router and register: unit administrators' people, "Kan redigera", units edited, moved and closed, and invoicing on a parent's reference.
// Opens a whole station (readers included): run it inside scripts/private-pcscd.sh.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope, InvoiceMonthView, PersonList, Unit, UnitAdminGrant } from '@shared/contract';
import type { Session } from '../../src-main/router';
import { openStation, type Station } from '../../src-main/station';
import { testPerson } from '../people-data';
import { testEngine, testRegisterLocation } from '../support/register-location';

// Tuesday 2026-11-10: employment that ended on 2026-11-09 has ended, one ending 2026-11-10 goes on today
const TODAY = new Date('2026-11-10T09:00:00Z');

let station: Station;
let ORG_ADMIN: Session;

beforeEach(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-unit-portal-'));
  station = await openStation({ dataDir, database: testEngine === 'postgres' ? testRegisterLocation(dataDir) : undefined, host: 'web', trustDirs: [], now: () => TODAY, allowVirtualReaders: true });
  const at = TODAY.toISOString();
  const id = await station.database.insert("INSERT INTO staff_account (username, display_name, role, created_at, updated_at) VALUES ('asa.admin', 'Åsa Admin', 'org-admin', ?, ?)", [at, at]);
  ORG_ADMIN = { id: 'org', operator: { id, role: 'org-admin', unitIds: [] } };
});
afterEach(async () => {
  await station.close();
});

const call = <T>(session: Session, name: string, input: unknown): Promise<Envelope<T>> => station.router.call(session, name, input) as Promise<Envelope<T>>;

async function value<T = { id: number }>(session: Session, name: string, input: unknown): Promise<T> {
  const reply = await call<T>(session, name, input);
  if (!reply.ok) throw new Error(`${name}: ${reply.code} ${reply.message}`);
  return reply.value;
}

async function refusal(session: Session, name: string, input: unknown): Promise<string> {
  const reply = await call(session, name, input);
  return reply.ok ? 'ok' : reply.code;
}

const personInput = (n: number, unitIds: number[], employmentEnd: string | null = null) => {
  const person = testPerson(n);
  return { firstName: person.firstName, surname: person.surname, personnummer: person.personnummer, hsaId: null, username: null, email: null, mobile: null, employmentType: 'kommunal', employmentEnd, unitIds };
};

interface Scene {
  akuten: number;
  akutenNatt: number;
  ortopedi: number;
}

/** Region Uppsala: Akuten (K100) with its sub-unit Akuten natt (K101), and Ortopedi (K200). */
async function scene(): Promise<Scene> {
  const organisation = await value(ORG_ADMIN, 'organisations.create', { name: 'Region Uppsala', kind: 'region' });
  const unit = (name: string, reference: string, parentId: number | null = null) => value<Unit>(ORG_ADMIN, 'units.create', { organisationId: organisation.id, parentId, name, reference });
  const akuten = (await unit('Akuten', 'K100')).id;
  return { akuten, akutenNatt: (await unit('Akuten natt', 'K101', akuten)).id, ortopedi: (await unit('Ortopedi', 'K200')).id };
}

/** A unit administrator's account with its grants, each with or without "Kan redigera", and their session. */
async function unitAdmin(username: string, grants: { unitId: number; canEdit: boolean }[]): Promise<Session> {
  const at = TODAY.toISOString();
  const id = await station.database.insert("INSERT INTO staff_account (username, display_name, role, created_at, updated_at) VALUES (?, ?, 'unit-admin', ?, ?)", [username, username, at, at]);
  for (const grant of grants) await station.database.run('INSERT INTO staff_unit (staff_id, unit_id, can_edit) VALUES (?, ?, ?)', [id, grant.unitId, grant.canEdit ? 1 : 0]);
  return { id: username, operator: { id, role: 'unit-admin', unitIds: grants.map((grant) => grant.unitId) } };
}

const listed = async (session: Session, filter: { unitId: number | null; status: string }): Promise<string[]> =>
  (await value<PersonList>(session, 'people.list', filter)).people.map((person) => person.firstName).sort();

describe('a unit administrator’s people', () => {
  it('lists only their units’ people, filtered by unit and status, and refuses another unit’s person by id', async () => {
    const { akuten, akutenNatt, ortopedi } = await scene();
    const active = await value(ORG_ADMIN, 'people.create', personInput(0, [akuten]));
    const ended = await value(ORG_ADMIN, 'people.create', personInput(1, [akutenNatt], '2026-11-09'));
    const lastDayToday = await value(ORG_ADMIN, 'people.create', personInput(2, [akuten], '2026-11-10'));
    const elsewhere = await value(ORG_ADMIN, 'people.create', personInput(3, [ortopedi]));
    await station.database.run("INSERT INTO card_order (person_id, order_date, order_reference, state, card_number, created_at, updated_at) VALUES (?, '2026-10-01', 'B1', 'handed-over', '9752269000001', ?, ?)", [
      lastDayToday.id,
      TODAY.toISOString(),
      TODAY.toISOString(),
    ]);
    const name = (n: number) => testPerson(n).firstName;
    const anna = await unitAdmin('anna', [
      { unitId: akuten, canEdit: true },
      { unitId: akutenNatt, canEdit: true },
    ]);

    expect(await listed(anna, { unitId: null, status: 'all' })).toEqual([name(0), name(1), name(2)].sort());
    expect(await listed(anna, { unitId: akutenNatt, status: 'all' })).toEqual([name(1)]);
    expect(await listed(anna, { unitId: null, status: 'active' })).toEqual([name(0), name(2)].sort());
    expect(await listed(anna, { unitId: null, status: 'ended' })).toEqual([name(1)]);
    expect(await listed(anna, { unitId: null, status: 'has-card' })).toEqual([name(2)]);
    expect(await listed(anna, { unitId: null, status: 'has-token' })).toEqual([]);
    expect(await listed(ORG_ADMIN, { unitId: null, status: 'all' })).toHaveLength(4);

    expect(await refusal(anna, 'people.list', { unitId: ortopedi, status: 'all' })).toBe('forbidden');
    expect(await refusal(anna, 'people.get', { id: elsewhere.id })).toBe('not-found');
    expect(await refusal(anna, 'people.update', { id: elsewhere.id, ...personInput(3, [akuten]) })).toBe('forbidden');
    expect(await refusal(anna, 'people.create', personInput(4, [ortopedi]))).toBe('forbidden');
    expect(await refusal(anna, 'tokens.order', { unitId: ortopedi, quantity: 1, priceOre: 35_000 })).toBe('unknown-unit');
    expect(await value(ORG_ADMIN, 'people.get', { id: elsewhere.id })).toMatchObject({ units: [{ id: ortopedi }] });

    // what they may do: add and edit in their units
    const added = await value(anna, 'people.create', personInput(5, [akutenNatt]));
    await value(anna, 'people.update', { id: active.id, ...personInput(0, [akuten], '2027-01-31') });
    expect(await value(ORG_ADMIN, 'people.get', { id: active.id })).toMatchObject({ employmentEnd: '2027-01-31' });
    expect(await listed(anna, { unitId: akutenNatt, status: 'all' })).toEqual([name(1), name(5)].sort());
    expect(ended.id).not.toBe(added.id);
  });

  it('refuses every write of a unit administrator without "Kan redigera", who still reads', async () => {
    const { akuten, ortopedi } = await scene();
    const person = await value(ORG_ADMIN, 'people.create', personInput(0, [akuten]));
    const reader = await unitAdmin('rut', [{ unitId: akuten, canEdit: false }]);
    const colleague = await unitAdmin('kim', [{ unitId: akuten, canEdit: false }]);
    const csv = Buffer.from('Förnamn;Efternamn;Personnummer\r\nEva;Ek;199001011239\r\n').toString('base64');

    expect(await listed(reader, { unitId: akuten, status: 'all' })).toEqual([testPerson(0).firstName]);
    expect(await value(reader, 'people.get', { id: person.id })).toMatchObject({ id: person.id });
    expect((await value<InvoiceMonthView>(reader, 'invoices.month', { month: '2026-11' })).bases).toEqual([]);
    const writes: [string, unknown][] = [
      ['people.create', personInput(1, [akuten])],
      ['people.update', { id: person.id, ...personInput(0, [akuten], '2026-12-31') }],
      ['people.importPreview', { fileName: 'p.csv', contentBase64: csv }],
      ['people.import', { fileName: 'p.csv', contentBase64: csv }],
      ['tokens.order', { unitId: akuten, quantity: 5, priceOre: 35_000 }],
      ['tokens.return', { serial: 'KS000001' }],
      ['tokens.lost', { serial: 'KS000001', chargeTo: 'unit' }],
      ['unitAdmins.list', {}],
      ['unitAdmins.setCanEdit', { staffId: colleague.operator!.id, unitId: akuten, canEdit: true }],
    ];
    for (const [name, input] of writes) expect(`${name}: ${await refusal(reader, name, input)}`).toBe(`${name}: read-only`);
    expect(await station.database.value('SELECT COUNT(*) FROM person')).toBe(1);
    expect(await station.database.value('SELECT COUNT(*) FROM unit_token_order')).toBe(0);
    expect(await value(ORG_ADMIN, 'people.get', { id: person.id })).toMatchObject({ employmentEnd: null });

    // "Kan redigera" counts per unit: editing Ortopedi does not open Akuten
    const mixed = await unitAdmin('max', [
      { unitId: akuten, canEdit: false },
      { unitId: ortopedi, canEdit: true },
    ]);
    expect(await refusal(mixed, 'people.create', personInput(2, [akuten]))).toBe('forbidden');
    expect(await refusal(mixed, 'people.update', { id: person.id, ...personInput(0, [akuten], '2026-12-31') })).toBe('forbidden');
    expect(await refusal(mixed, 'tokens.order', { unitId: akuten, quantity: 1, priceOre: 35_000 })).toBe('unknown-unit');
    expect(await refusal(mixed, 'people.create', personInput(2, [ortopedi]))).toBe('ok');
  });
});

describe('"Kan redigera"', () => {
  it('is set by a unit administrator who may edit for the others of the same units, never for themselves or other units; by the organisation administrator for anyone', async () => {
    const { akuten, ortopedi } = await scene();
    const editor = await unitAdmin('eva', [{ unitId: akuten, canEdit: true }]);
    const reader = await unitAdmin('rut', [{ unitId: akuten, canEdit: false }]);
    const other = await unitAdmin('olle', [{ unitId: ortopedi, canEdit: false }]);
    const id = (session: Session) => session.operator!.id;

    const grants = await value<UnitAdminGrant[]>(editor, 'unitAdmins.list', {});
    expect(grants.map((grant) => [grant.displayName, grant.unitId, grant.canEdit, grant.isSelf])).toEqual([
      ['eva', akuten, true, true],
      ['rut', akuten, false, false],
    ]);
    expect(await refusal(reader, 'people.create', personInput(0, [akuten]))).toBe('read-only');
    expect(await value<UnitAdminGrant>(editor, 'unitAdmins.setCanEdit', { staffId: id(reader), unitId: akuten, canEdit: true })).toMatchObject({ canEdit: true });
    // counts at once, in the session already logged in
    expect(await refusal(reader, 'people.create', personInput(0, [akuten]))).toBe('ok');

    expect(await refusal(editor, 'unitAdmins.setCanEdit', { staffId: id(editor), unitId: akuten, canEdit: false })).toBe('own-grant');
    expect(await refusal(editor, 'unitAdmins.setCanEdit', { staffId: id(other), unitId: ortopedi, canEdit: true })).toBe('not-found');
    expect(await refusal(editor, 'unitAdmins.setCanEdit', { staffId: id(other), unitId: akuten, canEdit: true })).toBe('not-found');
    expect(await station.database.value('SELECT can_edit FROM staff_unit WHERE staff_id = ?', [id(other)])).toBe(0);

    expect((await value<UnitAdminGrant[]>(ORG_ADMIN, 'unitAdmins.list', {})).map((grant) => grant.displayName)).toEqual(['eva', 'rut', 'olle']);
    await value(ORG_ADMIN, 'unitAdmins.setCanEdit', { staffId: id(other), unitId: ortopedi, canEdit: true });
    expect(await refusal(other, 'people.create', personInput(1, [ortopedi]))).toBe('ok');
    await value(ORG_ADMIN, 'unitAdmins.setCanEdit', { staffId: id(editor), unitId: akuten, canEdit: false });
    expect(await refusal(editor, 'unitAdmins.setCanEdit', { staffId: id(reader), unitId: akuten, canEdit: false })).toBe('read-only');

    // granting one more unit keeps the "Kan redigera" of the grants kept
    await value(ORG_ADMIN, 'staff.update', { id: id(editor), unitIds: [akuten, ortopedi] });
    expect(await station.database.all('SELECT unit_id, can_edit FROM staff_unit WHERE staff_id = ? ORDER BY unit_id', [id(editor)])).toEqual([
      { unit_id: akuten, can_edit: 0 },
      { unit_id: ortopedi, can_edit: 1 },
    ]);
  });
});

describe('the organisation administrator’s units', () => {
  it('edits a unit’s name, reference and billing address, refusing a reference another unit holds', async () => {
    const { akuten, ortopedi } = await scene();
    expect(await value<Unit>(ORG_ADMIN, 'units.update', { id: akuten, name: 'Akutmottagningen', reference: 'K110', billingAddress: 'Box 1, 751 85 Uppsala' })).toMatchObject({
      name: 'Akutmottagningen',
      reference: 'K110',
      billingAddress: 'Box 1, 751 85 Uppsala',
      usesParentBilling: false,
    });
    expect(await refusal(ORG_ADMIN, 'units.update', { id: ortopedi, name: 'Ortopedi', reference: 'K110' })).toBe('duplicate-reference');
    expect(await refusal(ORG_ADMIN, 'units.update', { id: ortopedi, name: 'Ortopedi', reference: 'K200', usesParentBilling: true })).toBe('unit-without-parent');
    expect(await value<Unit[]>(ORG_ADMIN, 'units.list', {})).toContainEqual(expect.objectContaining({ id: ortopedi, reference: 'K200' }));
  });

  it('moves a unit under another, refusing a move under itself or its own sub-unit', async () => {
    const { akuten, akutenNatt, ortopedi } = await scene();
    const deep = await value<Unit>(ORG_ADMIN, 'units.create', { organisationId: 1, parentId: akutenNatt, name: 'Akuten natt, team 2', reference: 'K102' });
    expect(await refusal(ORG_ADMIN, 'units.move', { id: akuten, parentId: akuten })).toBe('unit-cycle');
    expect(await refusal(ORG_ADMIN, 'units.move', { id: akuten, parentId: akutenNatt })).toBe('unit-cycle');
    expect(await refusal(ORG_ADMIN, 'units.move', { id: akuten, parentId: deep.id })).toBe('unit-cycle');
    expect(await value<Unit>(ORG_ADMIN, 'units.move', { id: ortopedi, parentId: deep.id })).toMatchObject({ parentId: deep.id });
    expect(await refusal(ORG_ADMIN, 'units.move', { id: akutenNatt, parentId: ortopedi })).toBe('unit-cycle');
    expect(await value<Unit>(ORG_ADMIN, 'units.move', { id: ortopedi, parentId: null })).toMatchObject({ parentId: null });
    expect(await station.database.value('SELECT parent_id FROM unit WHERE id = ?', [akuten])).toBeNull();
  });

  it('closes a unit only when nothing lives in it; a closed unit keeps its history but takes no new people or orders', async () => {
    const { akuten, akutenNatt, ortopedi } = await scene();
    const leaver = await value(ORG_ADMIN, 'people.create', personInput(0, [akutenNatt], '2026-12-31'));
    const anna = await unitAdmin('anna', [{ unitId: akutenNatt, canEdit: true }]);
    expect(await refusal(ORG_ADMIN, 'units.close', { id: akuten })).toBe('unit-in-use'); // its open sub-unit
    expect(await refusal(ORG_ADMIN, 'units.close', { id: akutenNatt })).toBe('unit-in-use'); // an active person
    await value(ORG_ADMIN, 'people.update', { id: leaver.id, ...personInput(0, [akutenNatt], '2026-11-09') });
    const order = await value(ORG_ADMIN, 'tokens.order', { unitId: akutenNatt, quantity: 1, priceOre: 35_000 });
    expect(await refusal(ORG_ADMIN, 'units.close', { id: akutenNatt })).toBe('unit-in-use'); // an undelivered order
    await value(ORG_ADMIN, 'tokens.orderDelivered', { orderId: order.id });

    const closed = await value<Unit>(ORG_ADMIN, 'units.close', { id: akutenNatt });
    expect(closed.closedAt).toBe(TODAY.toISOString());
    expect(await refusal(ORG_ADMIN, 'units.close', { id: akutenNatt })).toBe('unit-closed');
    expect(await refusal(ORG_ADMIN, 'people.create', personInput(1, [akutenNatt]))).toBe('unit-closed');
    expect(await refusal(anna, 'people.create', personInput(1, [akutenNatt]))).toBe('unit-closed');
    expect(await refusal(anna, 'tokens.order', { unitId: akutenNatt, quantity: 1, priceOre: 35_000 })).toBe('unit-closed');
    const newcomer = await value(ORG_ADMIN, 'people.create', personInput(2, [ortopedi]));
    expect(await refusal(ORG_ADMIN, 'people.update', { id: newcomer.id, ...personInput(2, [ortopedi, akutenNatt]) })).toBe('unit-closed');
    expect(await refusal(ORG_ADMIN, 'units.create', { organisationId: 1, parentId: akutenNatt, name: 'Ny', reference: 'K109' })).toBe('unit-closed');
    expect(await refusal(ORG_ADMIN, 'units.move', { id: ortopedi, parentId: akutenNatt })).toBe('unit-closed');
    // history stays: the person, their unit, the order and its charge
    expect(await value(ORG_ADMIN, 'people.get', { id: leaver.id })).toMatchObject({ units: [{ id: akutenNatt }] });
    expect(await value(ORG_ADMIN, 'people.update', { id: leaver.id, ...personInput(0, [akutenNatt], '2026-11-08') })).toMatchObject({ employmentEnd: '2026-11-08' });
    expect(await station.database.value('SELECT COUNT(*) FROM charge WHERE unit_id = ?', [akutenNatt])).toBe(1);
    expect(await station.database.value('SELECT COUNT(*) FROM person')).toBe(2);
  });
});

describe('a sub-unit billed on its parent’s reference', () => {
  it('puts the sub-unit’s charges on the parent’s invoice basis, one basis per reference', async () => {
    const { akuten, akutenNatt, ortopedi } = await scene();
    await value(ORG_ADMIN, 'units.update', { id: akuten, name: 'Akuten', reference: 'K100', billingAddress: 'Akademiska sjukhuset, 751 85 Uppsala' });
    expect(await value<Unit>(ORG_ADMIN, 'units.update', { id: akutenNatt, name: 'Akuten natt', reference: 'K101', usesParentBilling: true })).toMatchObject({ billingReference: 'K100' });
    for (const [unitId, quantity] of [
      [akutenNatt, 2],
      [akuten, 3],
      [ortopedi, 1],
    ] as const) {
      const order = await value(ORG_ADMIN, 'tokens.order', { unitId, quantity, priceOre: 35_000 });
      await value(ORG_ADMIN, 'tokens.orderDelivered', { orderId: order.id });
    }

    const { bases } = await value<InvoiceMonthView>(ORG_ADMIN, 'invoices.month', { month: '2026-11' });
    expect(bases.map((basis) => [basis.reference, basis.unit, basis.billingAddress, basis.total, basis.lines.map((line) => line.unit).sort()])).toEqual([
      ['K100', 'Akuten', 'Akademiska sjukhuset, 751 85 Uppsala', 1750, ['Akuten', 'Akuten natt']],
      ['K200', 'Ortopedi', null, 350, ['Ortopedi']],
    ]);

    // a unit administrator sees the invoice basis of their references only
    const parentsAdmin = await unitAdmin('pia', [{ unitId: akuten, canEdit: false }]);
    const subUnitsAdmin = await unitAdmin('sam', [{ unitId: akutenNatt, canEdit: false }]);
    const seen = async (session: Session) => (await value<InvoiceMonthView>(session, 'invoices.month', { month: '2026-11' })).bases.map((basis) => [basis.reference, basis.total]);
    expect(await seen(parentsAdmin)).toEqual([['K100', 1750]]);
    expect(await seen(subUnitsAdmin)).toEqual([['K100', 700]]);

    // billing on its own reference again: new charges go to K101, what was charged stays where it was
    await value(ORG_ADMIN, 'units.update', { id: akutenNatt, name: 'Akuten natt', reference: 'K101', usesParentBilling: false });
    const order = await value(ORG_ADMIN, 'tokens.order', { unitId: akutenNatt, quantity: 1, priceOre: 35_000 });
    await value(ORG_ADMIN, 'tokens.orderDelivered', { orderId: order.id });
    expect((await value<InvoiceMonthView>(ORG_ADMIN, 'invoices.month', { month: '2026-11' })).bases.map((basis) => [basis.reference, basis.total])).toEqual([
      ['K100', 1750],
      ['K101', 350],
      ['K200', 350],
    ]);
  });
});
