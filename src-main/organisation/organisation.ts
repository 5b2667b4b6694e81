// Organisations, their nested units (each with a reference / cost centre) and the stations, plus who may see which unit.
import type { Organisation, OrganisationKind, Station, Unit } from '@shared/contract';
import { AppError } from '../app-error';
import type { Db } from '../db/data-layer';
import type { Operator } from '../router';

/** What an operator may see of people and units: everything, or only the units a unit administrator was granted. */
export type UnitScope = { kind: 'all' } | { kind: 'units'; unitIds: readonly number[] };

export const FULL_SCOPE: UnitScope = { kind: 'all' };

export function scopeOf(operator: Operator): UnitScope {
  return operator.role === 'unit-admin' ? { kind: 'units', unitIds: operator.unitIds } : FULL_SCOPE;
}

export function scopeAllowsUnit(scope: UnitScope, unitId: number): boolean {
  return scope.kind === 'all' || scope.unitIds.includes(unitId);
}

export async function listOrganisations(db: Db): Promise<Organisation[]> {
  return db.kysely.selectFrom('organisation').select(['id', 'name', 'kind']).orderBy('name').execute();
}

export async function createOrganisation(db: Db, input: { name: string; kind: OrganisationKind }): Promise<Organisation> {
  return db.transaction(async () => {
    const existing = await db.kysely.selectFrom('organisation').select('id').where('name', '=', input.name).executeTakeFirst();
    if (existing) throw new AppError('duplicate-name', `An organisation named "${input.name}" exists already`);
    const { id } = await db.kysely.insertInto('organisation').values(input).returning('id').executeTakeFirstOrThrow();
    return { id, ...input };
  });
}

interface UnitRow {
  id: number;
  organisation_id: number;
  parent_id: number | null;
  name: string;
  reference: string;
  billing_address: string | null;
  uses_parent_billing: number;
  closed_at: string | null;
  billing_reference: string;
}

// Walks up from each unit while it bills on its parent; the depth bound only guards against a cycle the services refuse anyway.
const BILLING_UNIT = `WITH RECURSIVE chain(unit_id, at_id, uses_parent, parent_id, depth) AS (
    SELECT id, id, uses_parent_billing, parent_id, 0 FROM unit
    UNION ALL
    SELECT chain.unit_id, up.id, up.uses_parent_billing, up.parent_id, chain.depth + 1
      FROM chain JOIN unit up ON up.id = chain.parent_id WHERE chain.uses_parent = 1 AND chain.depth < 64)
  SELECT unit_id, at_id AS billing_id FROM chain WHERE uses_parent = 0 OR parent_id IS NULL OR depth = 64`;

const UNIT_SELECT = `SELECT u.id, u.organisation_id, u.parent_id, u.name, u.reference, u.billing_address, u.uses_parent_billing, u.closed_at, bu.reference AS billing_reference
  FROM unit u JOIN (${BILLING_UNIT}) billing ON billing.unit_id = u.id JOIN unit bu ON bu.id = billing.billing_id`;

const toUnit = (row: UnitRow): Unit => ({
  id: row.id,
  organisationId: row.organisation_id,
  parentId: row.parent_id,
  name: row.name,
  reference: row.reference,
  billingAddress: row.billing_address,
  usesParentBilling: Number(row.uses_parent_billing) === 1,
  billingReference: row.billing_reference,
  closedAt: row.closed_at,
});

/** `column IN (…)` for a unit administrator's ids; -1 keeps an empty grant valid SQL. */
export function unitIdsIn(column: string, unitIds: readonly number[]): { sql: string; params: number[] } {
  const ids = [...unitIds, -1];
  return { sql: `${column} IN (${ids.map(() => '?').join(', ')})`, params: ids };
}

export async function listUnits(db: Db, scope: UnitScope): Promise<Unit[]> {
  const filter = scope.kind === 'all' ? { sql: '1 = 1', params: [] } : unitIdsIn('u.id', scope.unitIds);
  const rows = await db.all<UnitRow>(`${UNIT_SELECT} WHERE ${filter.sql} ORDER BY u.organisation_id, u.name, u.id`, filter.params);
  return rows.map(toUnit);
}

export async function getUnit(db: Db, id: number): Promise<Unit> {
  const row = await db.one<UnitRow>(`${UNIT_SELECT} WHERE u.id = ?`, [id]);
  if (!row) throw new AppError('unknown-unit', `No unit ${id}`);
  return toUnit(row);
}

/** The unit whose reference and address a unit's charges are invoiced on. */
export async function billingUnitOf(db: Db, unitId: number): Promise<{ id: number; reference: string }> {
  const row = await db.one<{ id: number; reference: string }>(`SELECT bu.id, bu.reference FROM (${BILLING_UNIT}) billing JOIN unit bu ON bu.id = billing.billing_id WHERE billing.unit_id = ?`, [unitId]);
  if (!row) throw new AppError('unknown-unit', `No unit ${unitId}`);
  return row;
}

/** Refuses new people or orders for a closed unit: its history stays, nothing new is added. */
export async function assertUnitsOpen(db: Db, unitIds: readonly number[]): Promise<void> {
  if (unitIds.length === 0) return;
  const filter = unitIdsIn('id', unitIds);
  const closed = await db.one<{ name: string }>(`SELECT name FROM unit WHERE ${filter.sql} AND closed_at IS NOT NULL`, filter.params);
  if (closed) throw new AppError('unit-closed', `The unit "${closed.name}" is closed`);
}

export interface UnitBilling {
  billingAddress?: string | null;
  usesParentBilling?: boolean;
}

export interface NewUnit extends UnitBilling {
  organisationId: number;
  parentId: number | null;
  name: string;
  reference: string;
}

async function assertReferenceFree(db: Db, organisationId: number, reference: string, exceptId: number): Promise<void> {
  const taken = await db.kysely
    .selectFrom('unit')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('reference', '=', reference)
    .where('id', '!=', exceptId)
    .executeTakeFirst();
  if (taken) throw new AppError('duplicate-reference', `The reference "${reference}" is used by another unit of this organisation`);
}

export async function createUnit(db: Db, input: NewUnit): Promise<Unit> {
  return db.transaction(async () => {
    const organisation = await db.kysely.selectFrom('organisation').select('id').where('id', '=', input.organisationId).executeTakeFirst();
    if (!organisation) throw new AppError('unknown-organisation', `No organisation with id ${input.organisationId}`);
    if (input.parentId !== null) {
      const parent = await db.kysely.selectFrom('unit').select(['organisation_id', 'closed_at']).where('id', '=', input.parentId).executeTakeFirst();
      // a parent in another organisation would split one organisation's invoices across two
      if (parent?.organisation_id !== input.organisationId) throw new AppError('unknown-unit', `No unit ${input.parentId} in organisation ${input.organisationId}`);
      if (parent.closed_at !== null) throw new AppError('unit-closed', `Unit ${input.parentId} is closed`);
    } else if (input.usesParentBilling) throw new AppError('unit-without-parent', 'A unit without a parent bills on its own reference');
    await assertReferenceFree(db, input.organisationId, input.reference, -1);
    const { id } = await db.kysely
      .insertInto('unit')
      .values({
        organisation_id: input.organisationId,
        parent_id: input.parentId,
        name: input.name,
        reference: input.reference,
        billing_address: input.billingAddress ?? null,
        uses_parent_billing: input.usesParentBilling ? 1 : 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return getUnit(db, id);
  });
}

async function unitRow(db: Db, id: number) {
  const row = await db.kysely.selectFrom('unit').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('unknown-unit', `No unit ${id}`);
  return row;
}

/** Name, reference / cost centre and billing; a closed unit's history stays as it was invoiced, so it is not edited. */
export async function updateUnit(db: Db, input: { id: number; name: string; reference: string } & UnitBilling): Promise<Unit> {
  return db.transaction(async () => {
    const unit = await unitRow(db, input.id);
    if (unit.closed_at !== null) throw new AppError('unit-closed', `Unit ${input.id} is closed`);
    const usesParentBilling = input.usesParentBilling ?? false;
    if (usesParentBilling && unit.parent_id === null) throw new AppError('unit-without-parent', 'A unit without a parent bills on its own reference');
    await assertReferenceFree(db, unit.organisation_id, input.reference, input.id);
    await db.kysely
      .updateTable('unit')
      .set({ name: input.name, reference: input.reference, billing_address: input.billingAddress ?? null, uses_parent_billing: usesParentBilling ? 1 : 0 })
      .where('id', '=', input.id)
      .execute();
    return getUnit(db, input.id);
  });
}

/** A new parent in the same organisation, never the unit itself or one of its own sub-units (a cycle). */
export async function moveUnit(db: Db, input: { id: number; parentId: number | null }): Promise<Unit> {
  return db.transaction(async () => {
    const unit = await unitRow(db, input.id);
    if (unit.closed_at !== null) throw new AppError('unit-closed', `Unit ${input.id} is closed`);
    if (input.parentId !== null) {
      const parent = await db.kysely.selectFrom('unit').select(['organisation_id', 'closed_at']).where('id', '=', input.parentId).executeTakeFirst();
      if (parent?.organisation_id !== unit.organisation_id) throw new AppError('unknown-unit', `No unit ${input.parentId} in this organisation`);
      if (parent.closed_at !== null) throw new AppError('unit-closed', `Unit ${input.parentId} is closed`);
      for (let at: number | null = input.parentId, steps = 0; at !== null; steps++) {
        if (at === input.id || steps > 64) throw new AppError('unit-cycle', `Unit ${input.id} cannot be placed under its own sub-unit`);
        at = (await db.kysely.selectFrom('unit').select('parent_id').where('id', '=', at).executeTakeFirstOrThrow()).parent_id;
      }
    }
    // a unit moved to the top has no parent to bill on: it bills on its own reference again
    const set = input.parentId === null ? { parent_id: null, uses_parent_billing: 0 } : { parent_id: input.parentId };
    await db.kysely.updateTable('unit').set(set).where('id', '=', input.id).execute();
    return getUnit(db, input.id);
  });
}

/** Closing keeps the unit's history; refused while anything still lives in it, so nothing is left without a unit. */
export async function closeUnit(db: Db, id: number, now: Date): Promise<Unit> {
  return db.transaction(async () => {
    const unit = await unitRow(db, id);
    if (unit.closed_at !== null) throw new AppError('unit-closed', `Unit ${id} is closed already`);
    const today = now.toISOString().slice(0, 10);
    const inUse = await db.one<{ what: string }>(
      `SELECT 'sub-unit' AS what FROM unit WHERE parent_id = ? AND closed_at IS NULL
       UNION ALL SELECT 'person' FROM person_unit pu JOIN person p ON p.id = pu.person_id WHERE pu.unit_id = ? AND (p.employment_end IS NULL OR p.employment_end >= ?)
       UNION ALL SELECT 'token' FROM token WHERE unit_id = ? AND state = 'issued'
       UNION ALL SELECT 'order' FROM unit_token_order WHERE unit_id = ? AND delivered_at IS NULL`,
      [id, id, today, id, id],
    );
    if (inUse) throw new AppError('unit-in-use', `Unit ${id} still has an open ${inUse.what}`);
    await db.kysely.updateTable('unit').set({ closed_at: now.toISOString() }).where('id', '=', id).execute();
    return getUnit(db, id);
  });
}

export async function listStations(db: Db): Promise<Station[]> {
  return db.kysely.selectFrom('station').select(['id', 'name', 'site', 'address']).orderBy('name').execute();
}

export async function createStation(db: Db, input: Omit<Station, 'id'>): Promise<Station> {
  return db.transaction(async () => {
    const existing = await db.kysely.selectFrom('station').select('id').where('name', '=', input.name).executeTakeFirst();
    if (existing) throw new AppError('duplicate-name', `A station named "${input.name}" exists already`);
    const { id } = await db.kysely.insertInto('station').values(input).returning('id').executeTakeFirstOrThrow();
    return { id, ...input };
  });
}
