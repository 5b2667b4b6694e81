// Checks a parsed import against the database (units, people already there, the operator's units) and writes it all or nothing.
import type { ImportReport, ImportRowError } from '@shared/contract';
import { AppError } from '../app-error';
import type { Db } from '../db/data-layer';
import { appendAudit } from '../audit/audit';
import type { AuditedBy } from '../audit/audited-by';
import { scopeAllowsUnit, type UnitScope } from '../organisation/organisation';
import { personColumns } from './people';
import { byLineAndField, type ImportRow, type ParsedImport } from './import';
import { searchKey, type PersonValues } from './person-fields';
import { NO_PROGRESS, type WorkProgress } from '../work/jobs';

// Well under SQLite's limit of bound parameters per statement.
const CHUNK = 500;
const INSERT_CHUNK = 200;

interface ExistingPerson {
  id: number;
  values: PersonValues;
  unitIds: Set<number>;
  inScope: boolean;
}

interface PlannedRow {
  row: ImportRow;
  values: PersonValues;
  unitId: number | null;
  existing: ExistingPerson | undefined;
}

interface ImportPlan {
  errors: ImportRowError[];
  creates: PlannedRow[];
  updates: PlannedRow[];
  unchanged: number;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

async function unitsByReference(db: Db, references: readonly string[]): Promise<{ byReference: Map<string, number[]>; closed: Set<number> }> {
  const byReference = new Map<string, number[]>();
  const closed = new Set<number>();
  for (const part of chunks([...new Set(references)], CHUNK)) {
    const units = await db.kysely.selectFrom('unit').select(['id', 'reference', 'closed_at']).where('reference', 'in', part).execute();
    for (const unit of units) {
      byReference.set(unit.reference, [...(byReference.get(unit.reference) ?? []), unit.id]);
      if (unit.closed_at !== null) closed.add(unit.id);
    }
  }
  return { byReference, closed };
}

async function existingPeople(db: Db, scope: UnitScope, personnummers: readonly string[]): Promise<Map<string, ExistingPerson>> {
  const people = new Map<string, ExistingPerson>();
  for (const part of chunks(personnummers, CHUNK)) {
    const rows = await db.kysely.selectFrom('person').selectAll().where('personnummer', 'in', part).execute();
    const links = rows.length === 0 ? [] : await db.kysely.selectFrom('person_unit').select(['person_id', 'unit_id']).where('person_id', 'in', rows.map((row) => row.id)).execute();
    for (const row of rows) {
      const unitIds = new Set(links.filter((link) => link.person_id === row.id).map((link) => link.unit_id));
      people.set(row.personnummer, {
        id: row.id,
        unitIds,
        inScope: scope.kind === 'all' || [...unitIds].some((unitId) => scopeAllowsUnit(scope, unitId)),
        values: {
          firstName: row.first_name,
          surname: row.surname,
          personnummer: row.personnummer,
          hsaId: row.hsa_id,
          username: row.username,
          email: row.email,
          mobile: row.mobile,
          employmentType: row.employment_type,
          employmentEnd: row.employment_end,
          employeeNumber: row.employee_number,
        },
      });
    }
  }
  return people;
}

/** Who already holds each HSA-ID or username (lower-cased) of the file. */
async function holders(db: Db, column: 'search_hsa_id' | 'search_username', keys: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const part of chunks(keys, CHUNK)) {
    const rows = await db.kysely.selectFrom('person').select(['id', column]).where(column, 'in', part).execute();
    for (const row of rows) found.set(row[column]!, row.id);
  }
  return found;
}

const EMPTY_VALUES: Omit<PersonValues, 'firstName' | 'surname' | 'personnummer'> = {
  hsaId: null,
  username: null,
  email: null,
  mobile: null,
  employmentType: null,
  employmentEnd: null,
  employeeNumber: null,
};

const samePerson = (a: PersonValues, b: PersonValues): boolean => (Object.keys(a) as (keyof PersonValues)[]).every((field) => a[field] === b[field]);

async function planImport(db: Db, scope: UnitScope, parsed: ParsedImport): Promise<ImportPlan> {
  const { rows } = parsed;
  const errors = [...parsed.errors];
  const { byReference: units, closed: closedUnits } = await unitsByReference(db, rows.flatMap((row) => (row.unitReference ? [row.unitReference] : [])));
  const people = await existingPeople(db, scope, rows.map((row) => row.values.personnummer));
  const hsaHolders = await holders(db, 'search_hsa_id', rows.flatMap((row) => (row.values.hsaId ? [searchKey(row.values.hsaId)] : [])));
  const usernameHolders = await holders(db, 'search_username', rows.flatMap((row) => (row.values.username ? [searchKey(row.values.username)] : [])));
  const plan: ImportPlan = { errors, creates: [], updates: [], unchanged: 0 };

  for (const row of rows) {
    const rowErrors: ImportRowError[] = [];
    const fail = (field: ImportRowError['field'], code: ImportRowError['code']) => rowErrors.push({ line: row.line, field, code });
    const existing = people.get(row.values.personnummer);
    const candidates = row.unitReference ? (units.get(row.unitReference) ?? []) : [];
    const unitId = candidates.length === 1 ? candidates[0]! : null;
    if (row.unitReference && candidates.length === 0) fail('unit', 'unknown');
    else if (candidates.length > 1) fail('unit', 'ambiguous');
    else if (unitId !== null && !scopeAllowsUnit(scope, unitId)) fail('unit', 'forbidden');
    // a closed unit takes no new people
    else if (unitId !== null && closedUnits.has(unitId)) fail('unit', 'closed');
    // a unit administrator may only touch their own people, and a new person must land in one of their units
    if (existing && !existing.inScope) fail('personnummer', 'forbidden');
    if (!existing && scope.kind === 'units' && !row.unitReference) fail('unit', 'missing');
    const hsaHolder = row.values.hsaId ? hsaHolders.get(searchKey(row.values.hsaId)) : undefined;
    if (hsaHolder !== undefined && hsaHolder !== existing?.id) fail('hsaId', 'taken');
    const usernameHolder = row.values.username ? usernameHolders.get(searchKey(row.values.username)) : undefined;
    if (usernameHolder !== undefined && usernameHolder !== existing?.id) fail('username', 'taken');
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    const values: PersonValues = { ...EMPTY_VALUES, ...existing?.values, ...row.values };
    const planned = { row, values, unitId, existing };
    if (!existing) plan.creates.push(planned);
    else if (samePerson(values, existing.values) && (unitId === null || existing.unitIds.has(unitId))) plan.unchanged++;
    else plan.updates.push(planned);
  }
  errors.sort(byLineAndField);
  return plan;
}

const reportOf = (plan: ImportPlan): ImportReport => ({ created: plan.creates.length, updated: plan.updates.length, unchanged: plan.unchanged, errors: plan.errors });

/** What importing would do, changing nothing. */
export async function previewImport(db: Db, scope: UnitScope, parsed: ParsedImport): Promise<ImportReport> {
  return reportOf(await planImport(db, scope, parsed));
}

async function applyPlan(db: Db, plan: ImportPlan, now: Date, progress: WorkProgress): Promise<void> {
  const at = now.toISOString();
  const total = plan.creates.length + plan.updates.length;
  let done = 0;
  await progress.step(done, total);
  for (const part of chunks(plan.creates, INSERT_CHUNK)) {
    const inserted = await db.kysely
      .insertInto('person')
      .values(part.map(({ values }) => ({ ...personColumns(values), created_at: at, updated_at: at })))
      .returning(['id', 'personnummer'])
      .execute();
    const idOf = new Map(inserted.map((row) => [row.personnummer, row.id]));
    const links = part.flatMap(({ values, unitId }) => (unitId === null ? [] : [{ person_id: idOf.get(values.personnummer)!, unit_id: unitId }]));
    if (links.length > 0) await db.kysely.insertInto('person_unit').values(links).execute();
    done += part.length;
    await progress.step(done, total);
  }
  for (const { values, unitId, existing } of plan.updates) {
    const personId = existing!.id;
    await db.kysely.updateTable('person').set({ ...personColumns(values), updated_at: at }).where('id', '=', personId).execute();
    if (unitId !== null && !existing!.unitIds.has(unitId)) await db.kysely.insertInto('person_unit').values({ person_id: personId, unit_id: unitId }).execute();
    done++;
    if (done % INSERT_CHUNK === 0 || done === total) await progress.step(done, total);
  }
}

/**
 * Writes every row or none: with any fault the report lists them and counts nothing. A known person
 * (same personnummer) is updated in the file's columns and added to the file's unit; other units stay.
 * `record` runs inside the same transaction with the outcome, so the audit row commits with the rows; a cancel
 * reported by `progress` rolls the whole transaction back.
 */
export async function importPeople(db: Db, scope: UnitScope, parsed: ParsedImport, now = new Date(), record?: (report: ImportReport) => Promise<unknown>, progress: WorkProgress = NO_PROGRESS): Promise<ImportReport> {
  return db.transaction(async () => {
    const plan = await planImport(db, scope, parsed);
    const report = plan.errors.length > 0 ? { created: 0, updated: 0, unchanged: 0, errors: plan.errors } : reportOf(plan);
    if (plan.errors.length === 0) await applyPlan(db, plan, now, progress);
    await record?.(report);
    return report;
  });
}

/** The import of every entry point (kiosk, browser mode, CLI): one 'people.imported' row, refused when the file has faults. */
export function importPeopleAudited(db: Db, scope: UnitScope, parsed: ParsedImport, by: AuditedBy, progress: WorkProgress = NO_PROGRESS): Promise<ImportReport> {
  return importPeople(
    db,
    scope,
    parsed,
    by.now,
    (report) =>
    appendAudit(db, {
      station: by.station,
      actor: by.actor,
      action: 'people.imported',
      outcome: report.errors.length > 0 ? 'refused' : 'ok',
      details: { created: report.created, updated: report.updated, unchanged: report.unchanged, faultyRows: new Set(report.errors.map((error) => error.line)).size },
      at: by.now,
    }),
    progress,
  );
}

/** For the kiosk: a faulty file is an error, the preview has already listed why. */
export async function importPeopleOrFail(db: Db, scope: UnitScope, parsed: ParsedImport, by: AuditedBy, progress: WorkProgress = NO_PROGRESS): Promise<ImportReport> {
  const report = await importPeopleAudited(db, scope, parsed, by, progress);
  if (report.errors.length > 0) throw new AppError('import-invalid', `${new Set(report.errors.map((error) => error.line)).size} rows have faults; nothing was imported`);
  return report;
}
