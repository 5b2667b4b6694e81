// What the station reads back about cards: the worklists of cards to follow up.
import type { CardWorklist } from '@shared/contract';
import type { Db } from '../db/data-layer';
import { ORDER_SELECT, scopeCondition, toSummary, type OrderRow } from './store';
import { stationNameReader } from '../organisation/station-label';
import type { UnitScope } from '../organisation/organisation';

/** Certificates expiring within this many days are followed up. */
export const EXPIRY_FOLLOW_UP_DAYS = 90;
/** Employments ending within this many days with an active card are followed up. */
export const EMPLOYMENT_FOLLOW_UP_DAYS = 30;
const DAY_MS = 86_400_000;

export async function cardWorklist(db: Db, scope: UnitScope, now: Date): Promise<CardWorklist> {
  const scoped = scopeCondition(scope);
  const here = await stationNameReader(db)();
  const readyBefore = new Date(now);
  readyBefore.setUTCMonth(readyBefore.getUTCMonth() - 3);
  const toBlock = await db.all<OrderRow>(`${ORDER_SELECT} WHERE o.state = 'ready' AND o.ready_at <= ? AND ${scoped.sql} ORDER BY o.ready_at`, [readyBefore.toISOString(), ...scoped.params]);
  const expiryLimit = new Date(now.getTime() + EXPIRY_FOLLOW_UP_DAYS * DAY_MS).toISOString();
  const expiring = await db.all<OrderRow>(`${ORDER_SELECT} WHERE o.state = 'handed-over' AND o.certificates_not_after <= ? AND ${scoped.sql} ORDER BY o.certificates_not_after`, [expiryLimit, ...scoped.params]);
  const today = now.toISOString().slice(0, 10);
  const endLimit = new Date(now.getTime() + EMPLOYMENT_FOLLOW_UP_DAYS * DAY_MS).toISOString().slice(0, 10);
  const ending = await db.all<OrderRow>(`${ORDER_SELECT} WHERE o.state = 'handed-over' AND p.employment_end >= ? AND p.employment_end <= ? AND ${scoped.sql} ORDER BY p.employment_end`, [
    today,
    endLimit,
    ...scoped.params,
  ]);
  return {
    toBlock: toBlock.map((row) => toSummary(row, now, here)),
    expiring: expiring.map((row) => ({ ...toSummary(row, now, here), daysLeft: Math.floor((new Date(row.certificates_not_after!).getTime() - now.getTime()) / DAY_MS) })),
    employmentEnding: ending.map((row) => ({ ...toSummary(row, now, here), employmentEnd: row.employment_end! })),
  };
}
