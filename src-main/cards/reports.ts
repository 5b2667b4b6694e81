// What the station reads back about cards: block requests (list, CSV for the RA function), worklists, a card's flags.
import type { BlockRequest, CardFlags, CardWorklist } from '@shared/contract';
import { formatPersonalNumber } from '@shared/domain/personnummer';
import { AppError } from '../app-error';
import { appendAudit } from '../audit/audit';
import type { AuditedBy } from '../audit/audited-by';
import type { Db } from '../db/data-layer';
import { ORDER_SELECT, scopeCondition, toSummary, type OrderRow } from './store';
import { stationNameReader } from '../organisation/station-label';
import type { UnitScope } from '../organisation/organisation';

/** Certificates expiring within this many days are followed up. */
export const EXPIRY_FOLLOW_UP_DAYS = 90;
/** Employments ending within this many days with an active card are followed up. */
export const EMPLOYMENT_FOLLOW_UP_DAYS = 30;
const DAY_MS = 86_400_000;

interface BlockRequestRow {
  id: number;
  order_id: number;
  card_number: string;
  reason: BlockRequest['reason'];
  reported_by: string;
  note: string | null;
  at: string;
  station: string;
  staff: string;
  keep_until: string;
  first_name: string;
  surname: string;
  personnummer: string;
  hsa_id: string | null;
}

const BLOCK_REQUEST_SELECT = `
  SELECT b.id, b.order_id, b.card_number, b.reason, b.reported_by, b.note, b.at, b.station, COALESCE(sa.display_name, b.staff) AS staff, b.keep_until,
         p.first_name, p.surname, p.personnummer, p.hsa_id
  FROM block_request b
  JOIN card_order o ON o.id = b.order_id
  JOIN person p ON p.id = o.person_id
  LEFT JOIN staff_account sa ON CAST(sa.id AS TEXT) = b.staff`;

function toBlockRequest(row: BlockRequestRow): BlockRequest {
  return {
    id: row.id,
    orderId: row.order_id,
    cardNumber: row.card_number,
    personName: `${row.first_name} ${row.surname}`,
    personnummer: formatPersonalNumber(row.personnummer),
    hsaId: row.hsa_id,
    reason: row.reason,
    reportedBy: row.reported_by,
    note: row.note,
    at: row.at,
    station: row.station,
    staff: row.staff,
    keepUntil: row.keep_until,
  };
}

export async function blockRequestOf(db: Db, id: number): Promise<BlockRequest> {
  const row = await db.one<BlockRequestRow>(`${BLOCK_REQUEST_SELECT} WHERE b.id = ?`, [id]);
  if (!row) throw new AppError('not-found', `No block request ${id}`);
  return toBlockRequest(row);
}

/** Block requests from `from` through `to` (UTC dates), newest first, within the caller's units. */
export async function listBlockRequests(db: Db, scope: UnitScope, range: { from?: string; to?: string }): Promise<BlockRequest[]> {
  const scoped = scopeCondition(scope);
  const rows = await db.all<BlockRequestRow>(`${BLOCK_REQUEST_SELECT} WHERE b.at >= ? AND substr(b.at, 1, 10) <= ? AND ${scoped.sql} ORDER BY b.at DESC, b.id DESC`, [
    range.from ?? '0000',
    range.to ?? '9999-12-31',
    ...scoped.params,
  ]);
  return rows.map(toBlockRequest);
}

const CSV_HEADER = ['Kortnummer', 'Namn', 'Personnummer', 'HSA-id', 'Orsak', 'Anmält av', 'Notering', 'Tid (UTC)', 'Station', 'Personal', 'Sparas till'];
const REASON_WORDS: Record<BlockRequest['reason'], string> = { lost: 'Förlorat', stolen: 'Stulet', uncollected: 'Ej uthämtat', other: 'Annat' };

/** Quotes what Excel would split on, and defuses cells Excel would run as a formula. */
function csvCell(value: string | null): string {
  if (value === null) return '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Semicolons, CRLF and a BOM, as the audit export: Excel with Swedish settings opens it as it is. */
export function blockRequestsCsv(requests: readonly BlockRequest[]): string {
  const lines = [CSV_HEADER, ...requests.map((r) => [r.cardNumber, r.personName, r.personnummer, r.hsaId, REASON_WORDS[r.reason], r.reportedBy, r.note, r.at, r.station, r.staff, r.keepUntil.slice(0, 10)])];
  return `\uFEFF${lines.map((line) => line.map(csvCell).join(';')).join('\r\n')}\r\n`;
}

/** The CSV for the RA function, recorded before it is handed out: block requests name people and their cards. */
export async function exportBlockRequests(db: Db, scope: UnitScope, range: { from?: string; to?: string }, by: AuditedBy): Promise<{ csv: string; rows: number }> {
  const requests = await listBlockRequests(db, scope, range);
  await appendAudit(db, { station: by.station, actor: by.actor, action: 'block-requests.exported', outcome: 'ok', details: { rows: requests.length, from: range.from ?? null, to: range.to ?? null }, at: by.now });
  return { csv: blockRequestsCsv(requests), rows: requests.length };
}

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

/** Whether a block was requested for the card: shown as "Spärrbegäran registrerad <datum> — inte bekräftad" at the top of its card test. */
export async function cardFlags(db: Db, cardSerial: string): Promise<CardFlags> {
  const row = await db.one<{ order_id: number; at: string }>('SELECT order_id, at FROM block_request WHERE lower(card_number) = lower(?) ORDER BY at DESC LIMIT 1', [cardSerial]);
  return { blocked: row !== undefined, blockedAt: row?.at ?? null, orderId: row?.order_id ?? null };
}
