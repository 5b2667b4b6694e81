// A unit administrator's "Kan redigera" per granted unit: who holds it, who may set it, and the write procedures that need it.
import type { UnitAdminGrant } from '@shared/contract';
import { AppError } from '../app-error';
import type { Db } from '../db/data-layer';
import type { CallContext, Handlers, Operator } from '../router';
import { unitIdsIn } from './organisation';

/** The granted units where the unit administrator may change things; read from the register on every call, so a withdrawn right counts at once. */
export function editableUnitIds(db: Db, staffId: number): Promise<number[]> {
  return db.column<number>('SELECT unit_id FROM staff_unit WHERE staff_id = ? AND can_edit = 1 ORDER BY unit_id', [staffId]).then((ids) => ids.map(Number));
}

/** The procedures through which a unit administrator changes people, tokens or orders. */
export const UNIT_ADMIN_WRITES = [
  'people.create',
  'people.update',
  'people.importPreview',
  'people.import',
  'tokens.issue',
  'tokens.return',
  'tokens.lost',
  'tokens.swapDefective',
  'tokens.order',
] as const satisfies readonly (keyof Handlers)[];

async function editingOperator(db: Db, operator: Operator): Promise<Operator> {
  const unitIds = await editableUnitIds(db, operator.id);
  if (unitIds.length === 0) throw new AppError('read-only', 'You may read but not change your units');
  return { ...operator, unitIds };
}

/**
 * Runs a unit administrator's write as if they were granted only the units they may edit, so every service's
 * unit check (in SQL) refuses the read-only ones; other roles pass unchanged.
 */
export function requireCanEdit(db: Db, handlers: Handlers): Handlers {
  const guarded = { ...handlers } as Record<string, (input: unknown, context: CallContext) => unknown>;
  for (const name of UNIT_ADMIN_WRITES) {
    const handler = guarded[name]!;
    guarded[name] = async (input, context) => {
      const operator = context.session.operator;
      if (operator?.role !== 'unit-admin') return handler(input, context);
      return handler(input, { session: { id: context.session.id, operator: await editingOperator(db, operator) } });
    };
  }
  return guarded as Handlers;
}

interface GrantRow {
  staff_id: number;
  display_name: string;
  username: string;
  unit_id: number;
  unit_name: string;
  can_edit: number;
}

const GRANT_SELECT = `SELECT sa.id AS staff_id, sa.display_name, sa.username, su.unit_id, u.name AS unit_name, su.can_edit
  FROM staff_unit su JOIN staff_account sa ON sa.id = su.staff_id JOIN unit u ON u.id = su.unit_id
  WHERE sa.role = 'unit-admin'`;

const toGrant = (row: GrantRow, caller: Operator): UnitAdminGrant => ({
  staffId: Number(row.staff_id),
  displayName: row.display_name,
  username: row.username,
  unitId: Number(row.unit_id),
  unitName: row.unit_name,
  canEdit: Number(row.can_edit) === 1,
  isSelf: Number(row.staff_id) === caller.id,
});

/** The units whose administrators the caller keeps: all for the organisation administrator, else those they may edit. */
async function keptUnits(db: Db, caller: Operator): Promise<{ sql: string; params: number[] }> {
  if (caller.role === 'org-admin') return { sql: '1 = 1', params: [] };
  return unitIdsIn('su.unit_id', (await editingOperator(db, caller)).unitIds);
}

export async function listUnitAdmins(db: Db, caller: Operator): Promise<UnitAdminGrant[]> {
  const units = await keptUnits(db, caller);
  const rows = await db.all<GrantRow>(`${GRANT_SELECT} AND ${units.sql} ORDER BY u.name, sa.display_name, sa.id`, units.params);
  return rows.map((row) => toGrant(row, caller));
}

/** Sets another administrator's "Kan redigera" for one of the caller's editable units; never the caller's own. */
export function setCanEdit(db: Db, caller: Operator, input: { staffId: number; unitId: number; canEdit: boolean }): Promise<UnitAdminGrant> {
  return db.transaction(async () => {
    if (input.staffId === caller.id) throw new AppError('own-grant', 'Nobody sets their own "Kan redigera"');
    const units = await keptUnits(db, caller);
    const find = () => db.one<GrantRow>(`${GRANT_SELECT} AND su.staff_id = ? AND su.unit_id = ? AND ${units.sql}`, [input.staffId, input.unitId, ...units.params]);
    // another unit's grant is refused as if it did not exist, so its ids tell a unit administrator nothing
    if (!(await find())) throw new AppError('not-found', `No unit administrator ${input.staffId} of unit ${input.unitId} among your units`);
    await db.run('UPDATE staff_unit SET can_edit = ? WHERE staff_id = ? AND unit_id = ?', [input.canEdit ? 1 : 0, input.staffId, input.unitId]);
    return toGrant((await find())!, caller);
  });
}
