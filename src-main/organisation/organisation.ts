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

const unitColumns = ['id', 'organisation_id as organisationId', 'parent_id as parentId', 'name', 'reference'] as const;

export async function listUnits(db: Db, scope: UnitScope): Promise<Unit[]> {
  if (scope.kind === 'units' && scope.unitIds.length === 0) return [];
  let query = db.kysely.selectFrom('unit').select(unitColumns).orderBy('organisation_id').orderBy('name');
  if (scope.kind === 'units') query = query.where('id', 'in', scope.unitIds);
  return query.execute();
}

export interface NewUnit {
  organisationId: number;
  parentId: number | null;
  name: string;
  reference: string;
}

export async function createUnit(db: Db, input: NewUnit): Promise<Unit> {
  return db.transaction(async () => {
    const organisation = await db.kysely.selectFrom('organisation').select('id').where('id', '=', input.organisationId).executeTakeFirst();
    if (!organisation) throw new AppError('unknown-organisation', `No organisation with id ${input.organisationId}`);
    if (input.parentId !== null) {
      const parent = await db.kysely.selectFrom('unit').select('organisation_id').where('id', '=', input.parentId).executeTakeFirst();
      // a parent in another organisation would split one organisation's invoices across two
      if (parent?.organisation_id !== input.organisationId) throw new AppError('unknown-unit', `No unit ${input.parentId} in organisation ${input.organisationId}`);
    }
    const taken = await db.kysely
      .selectFrom('unit')
      .select('id')
      .where('organisation_id', '=', input.organisationId)
      .where('reference', '=', input.reference)
      .executeTakeFirst();
    if (taken) throw new AppError('duplicate-reference', `The reference "${input.reference}" is used by another unit of this organisation`);
    const { id } = await db.kysely
      .insertInto('unit')
      .values({ organisation_id: input.organisationId, parent_id: input.parentId, name: input.name, reference: input.reference })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id, ...input };
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
