// The unit portal's people list: narrowed by unit and by what the register knows (employment, card, token), always within the caller's units in SQL.
import { PEOPLE_PAGE_SIZE, type PersonList, type PersonStatus } from '@shared/contract';
import { AppError } from '../app-error';
import type { Db } from '../db/data-layer';
import { scopeAllowsUnit, unitIdsIn, type UnitScope } from '../organisation/organisation';
import { personSummaryOf } from './people';

export interface PeopleFilter {
  unitId: number | null;
  status: PersonStatus;
  offset?: number;
}

const HAS_CARD = "EXISTS (SELECT 1 FROM card_order c WHERE c.person_id = p.id AND c.state = 'handed-over')";
const HAS_TOKEN = "EXISTS (SELECT 1 FROM token t WHERE t.person_id = p.id AND t.state = 'issued')";

/** Employment has ended when its last day is before today; no end date is an employment that goes on. */
const STATUS_CONDITION: Record<PersonStatus, string> = {
  all: '1 = 1',
  active: '(p.employment_end IS NULL OR p.employment_end >= ?)',
  ended: 'p.employment_end < ?',
  'has-card': HAS_CARD,
  'has-token': HAS_TOKEN,
};

interface ListRow {
  id: number;
  first_name: string;
  surname: string;
  personnummer: string;
  hsa_id: string | null;
  username: string | null;
  employment_end: string | null;
  has_card: number | boolean;
  has_token: number | boolean;
}

export async function listPeople(db: Db, scope: UnitScope, filter: PeopleFilter, now: Date): Promise<PersonList> {
  if (filter.unitId !== null && !scopeAllowsUnit(scope, filter.unitId)) throw new AppError('forbidden', 'This unit is not one of yours');
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  if (scope.kind === 'units') {
    const units = unitIdsIn('pu.unit_id', scope.unitIds);
    conditions.push(`EXISTS (SELECT 1 FROM person_unit pu WHERE pu.person_id = p.id AND ${units.sql})`);
    params.push(...units.params);
  }
  if (filter.unitId !== null) {
    conditions.push('EXISTS (SELECT 1 FROM person_unit pu WHERE pu.person_id = p.id AND pu.unit_id = ?)');
    params.push(filter.unitId);
  }
  conditions.push(STATUS_CONDITION[filter.status]);
  if (filter.status === 'active' || filter.status === 'ended') params.push(now.toISOString().slice(0, 10));
  const where = conditions.join(' AND ');
  const total = Number(await db.value<number>(`SELECT COUNT(*) FROM person p WHERE ${where}`, params));
  const rows = await db.all<ListRow>(
    `SELECT p.id, p.first_name, p.surname, p.personnummer, p.hsa_id, p.username, p.employment_end,
            CASE WHEN ${HAS_CARD} THEN 1 ELSE 0 END AS has_card, CASE WHEN ${HAS_TOKEN} THEN 1 ELSE 0 END AS has_token
       FROM person p WHERE ${where} ORDER BY p.search_name_reversed, p.id LIMIT ? OFFSET ?`,
    [...params, PEOPLE_PAGE_SIZE, filter.offset ?? 0],
  );
  const unitNames = await unitNamesOf(db, rows.map((row) => row.id));
  return {
    total,
    people: rows.map((row) => ({
      ...personSummaryOf(row),
      units: unitNames.get(row.id) ?? [],
      hasCard: Number(row.has_card) === 1,
      hasToken: Number(row.has_token) === 1,
    })),
  };
}

async function unitNamesOf(db: Db, personIds: readonly number[]): Promise<Map<number, string[]>> {
  const names = new Map<number, string[]>();
  if (personIds.length === 0) return names;
  const people = unitIdsIn('pu.person_id', personIds);
  const rows = await db.all<{ person_id: number; name: string }>(`SELECT pu.person_id, u.name FROM person_unit pu JOIN unit u ON u.id = pu.unit_id WHERE ${people.sql} ORDER BY u.name`, people.params);
  for (const row of rows) names.set(Number(row.person_id), [...(names.get(Number(row.person_id)) ?? []), row.name]);
  return names;
}
