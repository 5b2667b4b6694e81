// The retention job (gallring): each rule of src-shared/domain/retention.ts applied to the register, or only counted in a dry run; daily in the kiosk and from `cli retention run`.
import { leftCutoffDate, outboxCutoff, periodAllowed, RETENTION_RULES, retentionRule, type RetentionRule, type RetentionRuleId } from '@shared/domain/retention';
import type { RetentionOverview, RetentionRun } from '@shared/contract';
import { AppError } from '../app-error';
import { appendAudit } from '../audit/audit';
import type { AuditedBy } from '../audit/audited-by';
import type { Db } from '../db/data-layer';
import { readSetting, writeSetting } from '../db/settings';
import type { StationName } from '../organisation/station-label';
import { erasePersonRows, holdsCardOrToken, ERASED_PERSONNUMMER_PREFIX, withFilesScrubbed } from './erasure';

const periodSetting = (id: RetentionRuleId): string => `retention.${id}`;
export const LAST_RUN_SETTING = 'retention.last-run';
const DAY_MS = 86_400_000;

/** The period in force: the organisation administrator's choice when set, else the rule's default. */
async function periodOf(db: Db, rule: RetentionRule): Promise<number | null> {
  const stored = await readSetting(db, periodSetting(rule.id));
  return stored === undefined ? rule.defaultValue : Number(stored);
}

/** People past the period after their end date who hold no card or token and are not erased yet. */
async function peopleWhoLeft(db: Db, now: Date, years: number): Promise<number[]> {
  const candidates = await db.column<number>('SELECT id FROM person WHERE employment_end IS NOT NULL AND employment_end <= ? AND personnummer NOT LIKE ? ORDER BY id', [leftCutoffDate(now, years), `${ERASED_PERSONNUMMER_PREFIX}%`]);
  const due: number[] = [];
  for (const id of candidates) if (!(await holdsCardOrToken(db, id))) due.push(id);
  return due;
}

/** Counts (dry run) or removes what each rule says is due at `now`, all in one transaction. */
async function applyRules(db: Db, now: Date, dryRun: boolean, by: AuditedBy): Promise<Record<RetentionRuleId, number>> {
  const removed: Record<RetentionRuleId, number> = { 'outbox-bodies': 0, 'people-who-left': 0, 'id-document-facts': 0, 'block-requests': 0, 'audit-rows': 0 };
  const outboxDays = (await periodOf(db, retentionRule('outbox-bodies')))!;
  const outboxArgs = [outboxCutoff(now, outboxDays)];
  const sentBefore = "FROM outbox WHERE state = 'sent' AND sent_at <= ? AND body <> ''";
  removed['outbox-bodies'] = Number(await db.value<number>(`SELECT count(*) ${sentBefore}`, outboxArgs));
  if (!dryRun) await db.run(`UPDATE outbox SET body = '' WHERE id IN (SELECT id ${sentBefore})`, outboxArgs);

  const people = await peopleWhoLeft(db, now, (await periodOf(db, retentionRule('people-who-left')))!);
  removed['people-who-left'] = people.length;
  for (const id of people) {
    // the ID-document facts go with the person's handover record, so that rule counts what erasure clears
    if (dryRun) removed['id-document-facts'] += Number(await db.value<number>("SELECT count(*) FROM card_event e JOIN card_order o ON o.id = e.order_id WHERE o.person_id = ? AND e.action = 'hand-over'", [id]));
    else removed['id-document-facts'] += (await erasePersonRows(db, id, by)).cardEventsCleared;
  }

  // keep_until was set at the request from the ten years in force then
  const blockArgs = [now.toISOString()];
  removed['block-requests'] = Number(await db.value<number>('SELECT count(*) FROM block_request WHERE keep_until <= ?', blockArgs));
  if (!dryRun) await db.run('DELETE FROM block_request WHERE keep_until <= ?', blockArgs);
  return removed;
}

/** One run of every rule; a real run is audited and remembered for the Gallring screen. */
export async function runRetention(db: Db, by: AuditedBy, dryRun: boolean): Promise<RetentionRun> {
  const work = () =>
    db.transaction(async () => {
      const removed = await applyRules(db, by.now, dryRun, by);
      if (!dryRun) {
        await appendAudit(db, { station: by.station, actor: by.actor, action: 'retention.ran', outcome: 'ok', details: removed, at: by.now });
        await writeSetting(db, LAST_RUN_SETTING, JSON.stringify({ at: by.now.toISOString(), removed }));
      }
      return removed;
    });
  const removed = dryRun ? await work() : await withFilesScrubbed(db, work);
  return { at: by.now.toISOString(), dryRun, removed };
}

export async function retentionOverview(db: Db): Promise<RetentionOverview> {
  const rules = await Promise.all(RETENTION_RULES.map(async (rule) => ({ ...rule, value: await periodOf(db, rule) })));
  const lastRun = await readSetting(db, LAST_RUN_SETTING);
  return { rules, lastRun: lastRun === undefined ? null : (JSON.parse(lastRun) as RetentionOverview['lastRun']) };
}

/** The organisation administrator's period for one rule, within its bounds; audited. */
export async function setRetentionPeriod(db: Db, id: RetentionRuleId, value: number, by: AuditedBy): Promise<RetentionOverview> {
  const rule = retentionRule(id);
  if (!periodAllowed(rule, value)) throw new AppError('retention-out-of-bounds', `${id}: ${rule.min ?? '-'}–${rule.max ?? '-'} ${rule.unit ?? ''}`);
  await db.transaction(async () => {
    await writeSetting(db, periodSetting(id), String(value));
    await appendAudit(db, { station: by.station, actor: by.actor, action: 'retention.rule-changed', outcome: 'ok', details: { rule: id, value, unit: rule.unit }, at: by.now });
  });
  return retentionOverview(db);
}

/** The kiosk's daily run: first a minute after start, then once a day; failures are logged and tried again the next day. */
export function startRetention(db: Db, station: StationName, now: () => Date): () => void {
  const run = async (): Promise<void> => {
    try {
      await runRetention(db, { actor: null, station: await station(), now: now() }, false);
    } catch (error) {
      console.error('[retention] run failed:', error);
    }
  };
  const first = setTimeout(() => void run(), 60_000);
  const daily = setInterval(() => void run(), DAY_MS);
  first.unref();
  daily.unref();
  return () => {
    clearTimeout(first);
    clearInterval(daily);
  };
}
