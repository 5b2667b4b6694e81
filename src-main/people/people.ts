// People the station serves: search as you type, read, create and update, always within the operator's units.
import { sql, type ExpressionBuilder, type RawBuilder } from 'kysely';
import type { PersonDetail, PersonInput, PersonSummary } from '@shared/contract';
import { birthDateOf, formatPersonalNumber, maskPersonalNumber } from '@shared/domain/personnummer';
import { AppError } from '../app-error';
import type { Db } from '../db/data-layer';
import type { Database } from '../db/schema';
import { appendAudit } from '../audit/audit';
import type { AuditedBy } from '../audit/audited-by';
import { assertUnitsOpen, FULL_SCOPE, scopeAllowsUnit, type UnitScope } from '../organisation/organisation';
import { parsePersonFields, searchKey, type PersonValues } from './person-fields';

export const DEFAULT_SEARCH_LIMIT = 20;
// Above every other code point, so `column >= key AND column < key || TOP` is a prefix match on an index.
const TOP_CODE_POINT = '\u{10FFFF}';

/** The person table's columns for these values, search columns included. */
export function personColumns(values: PersonValues) {
  return {
    first_name: values.firstName,
    surname: values.surname,
    personnummer: values.personnummer,
    hsa_id: values.hsaId,
    username: values.username,
    email: values.email,
    mobile: values.mobile,
    employment_type: values.employmentType,
    employment_end: values.employmentEnd,
    // undefined when the caller did not give it: Kysely leaves the column as it was
    employee_number: values.employeeNumber,
    search_name: searchKey(`${values.firstName} ${values.surname}`),
    search_name_reversed: searchKey(`${values.surname} ${values.firstName}`),
    search_personnummer10: values.personnummer.slice(2),
    search_hsa_id: values.hsaId === null ? null : searchKey(values.hsaId),
    search_username: values.username === null ? null : searchKey(values.username),
  };
}

/** Restricts a query on `person` to people in at least one unit of the scope (-1 keeps an empty grant valid SQL). */
function inScope(scope: UnitScope) {
  return (eb: ExpressionBuilder<Database, 'person'>) =>
    scope.kind === 'all'
      ? eb.lit(true)
      : eb.exists(eb.selectFrom('person_unit').select('person_unit.unit_id').whereRef('person_unit.person_id', '=', 'person.id').where('person_unit.unit_id', 'in', [...scope.unitIds, -1]));
}

type SearchColumn = 'search_name' | 'search_name_reversed' | 'personnummer' | 'search_personnummer10' | 'search_hsa_id' | 'search_username';

/** The column compared by code point on PostgreSQL, whose default collation (e.g. sv_SE) would break the prefix range. */
function byCodePoint(db: Db, column: SearchColumn): RawBuilder<string> {
  return db.engine === 'postgres' ? sql<string>`${sql.ref(`person.${column}`)} COLLATE "C"` : sql<string>`${sql.ref(`person.${column}`)}`;
}

function searchColumnsFor(key: string): { column: SearchColumn; prefix: string }[] {
  const textColumns: { column: SearchColumn; prefix: string }[] = [
    { column: 'search_name', prefix: key },
    { column: 'search_name_reversed', prefix: key },
    { column: 'search_hsa_id', prefix: key },
    { column: 'search_username', prefix: key },
  ];
  // '19850709-1234', '850709 1234': separators people type in a personnummer
  if (!/^[\d\s+-]+$/.test(key)) return textColumns;
  const digits = key.replace(/\D/g, '');
  return [...textColumns, { column: 'personnummer', prefix: digits }, { column: 'search_personnummer10', prefix: digits }];
}

/** A person as a search hit or list row shows them: the personnummer masked. */
export function personSummaryOf(row: { id: number; first_name: string; surname: string; personnummer: string; hsa_id: string | null; username: string | null; employment_end: string | null }): PersonSummary {
  return {
    id: row.id,
    firstName: row.first_name,
    surname: row.surname,
    personnummerMasked: maskPersonalNumber(row.personnummer),
    hsaId: row.hsa_id,
    username: row.username,
    employmentEnd: row.employment_end,
  };
}

/**
 * Each searchable column is a separate index range scan limited to `limit` rows; their union is then
 * ordered by surname. A hit set larger than `limit` is therefore a fair sample, not the alphabetic first.
 */
export async function searchPeople(db: Db, scope: UnitScope, query: string, limit = DEFAULT_SEARCH_LIMIT): Promise<PersonSummary[]> {
  const key = searchKey(query);
  const branches = searchColumnsFor(key).map(({ column, prefix }) =>
    db.kysely
      .selectFrom((sub) =>
        sub
          .selectFrom('person')
          .select('person.id')
          .where(byCodePoint(db, column), '>=', prefix)
          .where(byCodePoint(db, column), '<', prefix + TOP_CODE_POINT)
          .where(inScope(scope))
          .orderBy(byCodePoint(db, column))
          .limit(limit)
          .as('hit'),
      )
      .select('hit.id'),
  );
  const [first, ...rest] = branches;
  const ids = rest.reduce((union, branch) => union.union(branch), first!);
  const rows = await db.kysely
    .selectFrom('person')
    .select(['id', 'first_name', 'surname', 'personnummer', 'hsa_id', 'username', 'employment_end'])
    .where('id', 'in', ids)
    .orderBy('search_name_reversed')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(personSummaryOf);
}

async function personInScope(db: Db, scope: UnitScope, id: number): Promise<boolean> {
  return (await db.kysely.selectFrom('person').select('id').where('id', '=', id).where(inScope(scope)).executeTakeFirst()) !== undefined;
}

/**
 * Reading a record for an operator: the 'person.viewed' row is written before the record is handed out,
 * so a view the trail cannot record is refused (the append throws and nothing is returned).
 */
export async function viewPerson(db: Db, scope: UnitScope, id: number, by: AuditedBy): Promise<PersonDetail> {
  const record = (outcome: 'ok' | 'refused') => appendAudit(db, { station: by.station, actor: by.actor, action: 'person.viewed', subjectType: 'person', subjectId: String(id), outcome, at: by.now });
  let person: PersonDetail;
  try {
    person = await getPerson(db, scope, id);
  } catch (error) {
    if (error instanceof AppError) await record('refused');
    throw error;
  }
  await record('ok');
  return person;
}

/** The whole record, personnummer unmasked; people outside the scope are as good as absent. */
export async function getPerson(db: Db, scope: UnitScope, id: number): Promise<PersonDetail> {
  const row = await db.kysely.selectFrom('person').selectAll().where('id', '=', id).where(inScope(scope)).executeTakeFirst();
  if (!row) throw new AppError('not-found', `No person with id ${id}`);
  const units = await db.kysely
    .selectFrom('person_unit')
    .innerJoin('unit', 'unit.id', 'person_unit.unit_id')
    .innerJoin('organisation', 'organisation.id', 'unit.organisation_id')
    .select(['unit.id', 'unit.name', 'unit.reference', 'organisation.name as organisationName'])
    .where('person_unit.person_id', '=', id)
    .orderBy('unit.name')
    .execute();
  const birthDate = birthDateOf(row.personnummer);
  return {
    id: row.id,
    firstName: row.first_name,
    surname: row.surname,
    personnummer: formatPersonalNumber(row.personnummer),
    birthDate,
    isCoordinationNumber: birthDate.slice(8) !== row.personnummer.slice(6, 8),
    hsaId: row.hsa_id,
    username: row.username,
    email: row.email,
    mobile: row.mobile,
    employmentType: row.employment_type,
    employmentEnd: row.employment_end,
    employeeNumber: row.employee_number,
    units,
  };
}

function validPersonValues(input: PersonInput, today: Date): PersonValues {
  const { values, errors } = parsePersonFields(input, today);
  if (errors.length > 0) throw new AppError('invalid-person', errors.map(({ field, code }) => `${field}: ${code}`).join('; '));
  return values as PersonValues;
}

/** Refuses values another person already holds: personnummer, HSA-ID, username. */
async function checkUnique(db: Db, values: PersonValues, exceptId: number | null): Promise<void> {
  const columns = personColumns(values);
  const holders = await db.kysely
    .selectFrom('person')
    .select(['id', 'personnummer', 'search_hsa_id', 'search_username'])
    .where((eb) =>
      eb.or([
        eb('personnummer', '=', columns.personnummer),
        ...(columns.search_hsa_id === null ? [] : [eb('search_hsa_id', '=', columns.search_hsa_id)]),
        ...(columns.search_username === null ? [] : [eb('search_username', '=', columns.search_username)]),
      ]),
    )
    .where('id', '!=', exceptId ?? -1)
    .execute();
  if (holders.some((holder) => holder.personnummer === columns.personnummer)) throw new AppError('duplicate-personnummer', 'Another person has this personnummer');
  if (holders.some((holder) => holder.search_hsa_id !== null && holder.search_hsa_id === columns.search_hsa_id)) throw new AppError('duplicate-hsa-id', 'Another person has this HSA-ID');
  if (holders.some((holder) => holder.search_username !== null && holder.search_username === columns.search_username)) throw new AppError('duplicate-username', 'Another person has this username');
}

async function checkUnits(db: Db, scope: UnitScope, unitIds: readonly number[]): Promise<void> {
  if (unitIds.some((unitId) => !scopeAllowsUnit(scope, unitId))) throw new AppError('forbidden', 'You may only place people in your own units');
  if (unitIds.length === 0) return;
  const found = await db.kysely.selectFrom('unit').select('id').where('id', 'in', unitIds).execute();
  if (found.length !== new Set(unitIds).size) throw new AppError('unknown-unit', 'One of the units does not exist');
}

export async function createPerson(db: Db, scope: UnitScope, input: PersonInput, now = new Date()): Promise<PersonDetail> {
  const values = validPersonValues(input, now);
  // a unit administrator's new person must land in one of their units, or they could never see it again
  if (scope.kind === 'units' && input.unitIds.length === 0) throw new AppError('forbidden', 'Choose one of your units');
  const unitIds = [...new Set(input.unitIds)];
  const at = now.toISOString();
  const id = await db.transaction(async () => {
    await checkUnits(db, scope, unitIds);
    await assertUnitsOpen(db, unitIds);
    await checkUnique(db, values, null);
    const { id } = await db.kysely
      .insertInto('person')
      .values({ ...personColumns(values), created_at: at, updated_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (unitIds.length > 0) await db.kysely.insertInto('person_unit').values(unitIds.map((unitId) => ({ person_id: id, unit_id: unitId }))).execute();
    return id;
  });
  return getPerson(db, scope, id);
}

/** Replaces the fields and the units; a unit administrator's change leaves units outside their grant as they were. */
export async function updatePerson(db: Db, scope: UnitScope, id: number, input: PersonInput, now = new Date()): Promise<PersonDetail> {
  const values = validPersonValues(input, now);
  const requested = [...new Set(input.unitIds)];
  await db.transaction(async () => {
    const exists = await db.kysely.selectFrom('person').select('id').where('id', '=', id).executeTakeFirst();
    if (!exists) throw new AppError('not-found', `No person with id ${id}`);
    if (!(await personInScope(db, scope, id))) throw new AppError('forbidden', 'This person is not in your units');
    await checkUnits(db, scope, requested);
    await checkUnique(db, values, id);
    const current = await db.kysely.selectFrom('person_unit').select('unit_id').where('person_id', '=', id).execute();
    // staying in a closed unit keeps the history; joining one is refused
    await assertUnitsOpen(db, requested.filter((unitId) => !current.some((row) => row.unit_id === unitId)));
    const kept = current.map((row) => row.unit_id).filter((unitId) => !scopeAllowsUnit(scope, unitId));
    const unitIds = [...new Set([...kept, ...requested])];
    await db.kysely.updateTable('person').set({ ...personColumns(values), updated_at: now.toISOString() }).where('id', '=', id).execute();
    await db.kysely.deleteFrom('person_unit').where('person_id', '=', id).execute();
    if (unitIds.length > 0) await db.kysely.insertInto('person_unit').values(unitIds.map((unitId) => ({ person_id: id, unit_id: unitId }))).execute();
  });
  // read back whole: a unit administrator may just have moved the person out of their last unit
  return getPerson(db, FULL_SCOPE, id);
}
