// Organisations, their nested units (each with a reference / cost centre) and the stations, plus who may see which unit.
import type { Kysely } from 'kysely';
import type { Organisation, OrganisationKind, Station, Unit } from '@shared/contract';
import { AppError } from '../app-error';
import type { Database } from '../db/schema';
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

export async function listOrganisations(db: Kysely<Database>): Promise<Organisation[]> {
  return db.selectFrom('organisation').select(['id', 'name', 'kind']).orderBy('name').execute();
}

export async function createOrganisation(db: Kysely<Database>, input: { name: string; kind: OrganisationKind }): Promise<Organisation> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('organisation').select('id').where('name', '=', input.name).executeTakeFirst();
    if (existing) throw new AppError('duplicate-name', `An organisation named "${input.name}" exists already`);
    const { id } = await trx.insertInto('organisation').values(input).returning('id').executeTakeFirstOrThrow();
    return { id, ...input };
  });
}

const unitColumns = ['id', 'organisation_id as organisationId', 'parent_id as parentId', 'name', 'reference'] as const;

export async function listUnits(db: Kysely<Database>, scope: UnitScope): Promise<Unit[]> {
  if (scope.kind === 'units' && scope.unitIds.length === 0) return [];
  let query = db.selectFrom('unit').select(unitColumns).orderBy('organisation_id').orderBy('name');
  if (scope.kind === 'units') query = query.where('id', 'in', scope.unitIds);
  return query.execute();
}

export interface NewUnit {
  organisationId: number;
  parentId: number | null;
  name: string;
  reference: string;
}

export async function createUnit(db: Kysely<Database>, input: NewUnit): Promise<Unit> {
  return db.transaction().execute(async (trx) => {
    const organisation = await trx.selectFrom('organisation').select('id').where('id', '=', input.organisationId).executeTakeFirst();
    if (!organisation) throw new AppError('unknown-organisation', `No organisation with id ${input.organisationId}`);
    if (input.parentId !== null) {
      const parent = await trx.selectFrom('unit').select('organisation_id').where('id', '=', input.parentId).executeTakeFirst();
      // a parent in another organisation would split one organisation's invoices across two
      if (parent?.organisation_id !== input.organisationId) throw new AppError('unknown-unit', `No unit ${input.parentId} in organisation ${input.organisationId}`);
    }
    const taken = await trx
      .selectFrom('unit')
      .select('id')
      .where('organisation_id', '=', input.organisationId)
      .where('reference', '=', input.reference)
      .executeTakeFirst();
    if (taken) throw new AppError('duplicate-reference', `The reference "${input.reference}" is used by another unit of this organisation`);
    const { id } = await trx
      .insertInto('unit')
      .values({ organisation_id: input.organisationId, parent_id: input.parentId, name: input.name, reference: input.reference })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id, ...input };
  });
}

export async function listStations(db: Kysely<Database>): Promise<Station[]> {
  return db.selectFrom('station').select(['id', 'name', 'site', 'address']).orderBy('name').execute();
}

export async function createStation(db: Kysely<Database>, input: Omit<Station, 'id'>): Promise<Station> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('station').select('id').where('name', '=', input.name).executeTakeFirst();
    if (existing) throw new AppError('duplicate-name', `A station named "${input.name}" exists already`);
    const { id } = await trx.insertInto('station').values(input).returning('id').executeTakeFirstOrThrow();
    return { id, ...input };
  });
}
