// Block requests at the station: recorded for any card number or HSA-ID, confirmed once blocked in SITHS eID-portalen, closed; listed, exported, flagged on the card test.
import type { BlockReason, BlockRequest, CardFlags, ErrorCode } from '@shared/contract';
import { blockRequestTransition, type BlockRequestAction, type BlockRequestRefusal, type BlockRequestState } from '@shared/domain/block-request';
import { transition } from '@shared/domain/card-lifecycle';
import { formatPersonalNumber } from '@shared/domain/personnummer';
import { AppError } from '../app-error';
import { appendAudit } from '../audit/audit';
import type { AuditedBy } from '../audit/audited-by';
import type { Db } from '../db/data-layer';
import type { UnitScope } from '../organisation/organisation';
import type { Caller, CardLifecycle } from './lifecycle';
import { createCardStore, scopeCondition } from './store';

/** Block requests are kept ten years (DOMAIN). */
export const BLOCK_REQUEST_KEEP_YEARS = 10;

export function keepUntil(at: string): string {
  const until = new Date(at);
  until.setUTCFullYear(until.getUTCFullYear() + BLOCK_REQUEST_KEEP_YEARS);
  return until.toISOString();
}

interface BlockRequestRow {
  id: number;
  order_id: number | null;
  card_number: string | null;
  hsa_id: string | null;
  reason: BlockRequest['reason'];
  reported_by: string;
  note: string | null;
  at: string;
  station: string;
  staff: string;
  keep_until: string;
  state: BlockRequestState;
  confirmed_by: string | null;
  confirmed_at: string | null;
  portal_reference: string | null;
  closed_by: string | null;
  closed_at: string | null;
  first_name: string | null;
  surname: string | null;
  personnummer: string | null;
}

// a request for a card not registered here has no order and no person: LEFT JOINs keep it
const BLOCK_REQUEST_SELECT = `
  SELECT b.id, b.order_id, b.card_number, COALESCE(b.hsa_id, p.hsa_id) AS hsa_id, b.reason, b.reported_by, b.note, b.at, b.station,
         COALESCE(sa.display_name, b.staff) AS staff, b.keep_until, b.state, COALESCE(sc.display_name, b.confirmed_by) AS confirmed_by, b.confirmed_at,
         b.portal_reference, COALESCE(sx.display_name, b.closed_by) AS closed_by, b.closed_at, p.first_name, p.surname, p.personnummer
  FROM block_request b
  LEFT JOIN card_order o ON o.id = b.order_id
  LEFT JOIN person p ON p.id = o.person_id
  LEFT JOIN staff_account sa ON CAST(sa.id AS TEXT) = b.staff
  LEFT JOIN staff_account sc ON CAST(sc.id AS TEXT) = b.confirmed_by
  LEFT JOIN staff_account sx ON CAST(sx.id AS TEXT) = b.closed_by`;

function toBlockRequest(row: BlockRequestRow): BlockRequest {
  return {
    id: row.id,
    orderId: row.order_id,
    cardNumber: row.card_number,
    personName: row.first_name === null ? null : `${row.first_name} ${row.surname}`,
    personnummer: row.personnummer === null ? null : formatPersonalNumber(row.personnummer),
    hsaId: row.hsa_id,
    reason: row.reason,
    reportedBy: row.reported_by,
    note: row.note,
    at: row.at,
    station: row.station,
    staff: row.staff,
    keepUntil: row.keep_until,
    state: row.state,
    confirmedBy: row.confirmed_by,
    confirmedAt: row.confirmed_at,
    portalReference: row.portal_reference,
    closedBy: row.closed_by,
    closedAt: row.closed_at,
  };
}

/** Requests of cards registered here follow the caller's units; a card not registered here names no one's unit. */
function visibleTo(scope: UnitScope): { sql: string; params: number[] } {
  const scoped = scopeCondition(scope);
  return { sql: `(b.order_id IS NULL OR ${scoped.sql})`, params: scoped.params };
}

export async function blockRequestOf(db: Db, id: number, scope: UnitScope = { kind: 'all' }): Promise<BlockRequest> {
  const visible = visibleTo(scope);
  const row = await db.one<BlockRequestRow>(`${BLOCK_REQUEST_SELECT} WHERE b.id = ? AND ${visible.sql}`, [id, ...visible.params]);
  if (!row) throw new AppError('not-found', `No block request ${id}`);
  return toBlockRequest(row);
}

export interface BlockRequestFilter {
  from?: string;
  to?: string;
  /** Only those not closed: the staff's work list. */
  openOnly?: boolean;
}

/** Block requests from `from` through `to` (UTC dates), newest first, within the caller's units. */
export async function listBlockRequests(db: Db, scope: UnitScope, filter: BlockRequestFilter): Promise<BlockRequest[]> {
  const visible = visibleTo(scope);
  const open = filter.openOnly ? " AND b.state <> 'closed'" : '';
  const rows = await db.all<BlockRequestRow>(`${BLOCK_REQUEST_SELECT} WHERE b.at >= ? AND substr(b.at, 1, 10) <= ?${open} AND ${visible.sql} ORDER BY b.at DESC, b.id DESC`, [
    filter.from ?? '0000',
    filter.to ?? '9999-12-31',
    ...visible.params,
  ]);
  return rows.map(toBlockRequest);
}

const CSV_HEADER = ['Kortnummer', 'Namn', 'Personnummer', 'HSA-id', 'Orsak', 'Anmält av', 'Notering', 'Tid (UTC)', 'Station', 'Personal', 'Sparas till', 'Status', 'Bekräftad av', 'Bekräftad (UTC)', 'Referens i SITHS eID-portalen', 'Avslutad (UTC)'];
const REASON_WORDS: Record<BlockRequest['reason'], string> = { lost: 'Förlorat', stolen: 'Stulet', uncollected: 'Ej uthämtat', other: 'Annat' };
export const STATE_WORDS: Record<BlockRequestState, string> = { requested: 'Begärd', blocked: 'Spärrad i SITHS eID-portalen', closed: 'Avslutad' };

/** Quotes what Excel would split on, and defuses cells Excel would run as a formula. */
function csvCell(value: string | null): string {
  if (value === null) return '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Semicolons, CRLF and a BOM, as the audit export: Excel with Swedish settings opens it as it is. */
export function blockRequestsCsv(requests: readonly BlockRequest[]): string {
  const lines = [
    CSV_HEADER,
    ...requests.map((r) => [r.cardNumber, r.personName, r.personnummer, r.hsaId, REASON_WORDS[r.reason], r.reportedBy, r.note, r.at, r.station, r.staff, r.keepUntil.slice(0, 10), STATE_WORDS[r.state], r.confirmedBy, r.confirmedAt, r.portalReference, r.closedAt]),
  ];
  return `\uFEFF${lines.map((line) => line.map(csvCell).join(';')).join('\r\n')}\r\n`;
}

/** The CSV for the RA function, recorded before it is handed out: block requests name people and their cards. */
export async function exportBlockRequests(db: Db, scope: UnitScope, range: { from?: string; to?: string }, by: AuditedBy): Promise<{ csv: string; rows: number }> {
  const requests = await listBlockRequests(db, scope, range);
  await appendAudit(db, { station: by.station, actor: by.actor, action: 'block-requests.exported', outcome: 'ok', details: { rows: requests.length, from: range.from ?? null, to: range.to ?? null }, at: by.now });
  return { csv: blockRequestsCsv(requests), rows: requests.length };
}

/** The card's latest block request, by its number or its holder's HSA-ID: "Spärrbegäran registrerad <datum> — inte bekräftad", or "SPÄRRAT". */
export async function cardFlags(db: Db, cardSerial: string, hsaId?: string): Promise<CardFlags> {
  const where = hsaId ? 'lower(card_number) = lower(?) OR lower(hsa_id) = lower(?)' : 'lower(card_number) = lower(?)';
  const row = await db.one<{ order_id: number | null; at: string; state: BlockRequestState; confirmed_at: string | null }>(
    `SELECT order_id, at, state, confirmed_at FROM block_request WHERE ${where} ORDER BY at DESC, id DESC LIMIT 1`,
    hsaId ? [cardSerial, hsaId] : [cardSerial],
  );
  return { blockState: row?.state ?? null, requestedAt: row?.at ?? null, confirmedAt: row?.confirmed_at ?? null, orderId: row?.order_id ?? null };
}

export type NewBlockRequest = { cardNumber?: string; hsaId?: string; reason: BlockReason; reportedBy: string; note: string | null };

const REFUSAL_CODES: Record<BlockRequestRefusal, ErrorCode> = {
  'already-done': 'block-request-done',
  'not-confirmed': 'block-request-not-confirmed',
  'request-closed': 'block-request-closed',
};

export interface BlockRequestServiceOptions {
  db: Db;
  lifecycle: Pick<CardLifecycle, 'block'>;
  now?: () => Date;
}

export function createBlockRequests({ db, lifecycle, now = () => new Date() }: BlockRequestServiceOptions) {
  const store = createCardStore(db);

  /** An open request for the same card or HSA-ID: one is enough, a second would be blocked twice in the portal. */
  async function openRequestFor(cardNumber: string | null, hsaId: string | null): Promise<number | undefined> {
    const where = [cardNumber ? 'lower(card_number) = lower(?)' : null, hsaId && !cardNumber ? 'hsa_id = ?' : null].filter((part) => part !== null);
    return db.value<number>(`SELECT id FROM block_request WHERE state <> 'closed' AND (${where.join(' OR ')}) ORDER BY id LIMIT 1`, cardNumber ? [cardNumber] : [hsaId!]);
  }

  async function step(requestId: number, action: BlockRequestAction, caller: Caller, columns: (at: string) => Record<string, string>): Promise<BlockRequest> {
    const at = now().toISOString();
    const station = await store.stationName();
    await db.transaction(async () => {
      const request = await blockRequestOf(db, requestId, caller.scope);
      const next = blockRequestTransition(request.state, action);
      if (!next.ok) throw new AppError(REFUSAL_CODES[next.refusal], `Block request ${requestId} is ${request.state}: cannot ${action}`);
      const changes: Record<string, string> = { ...columns(at), state: next.state };
      const names = Object.keys(changes);
      await db.run(`UPDATE block_request SET ${names.map((name) => `${name} = ?`).join(', ')} WHERE id = ?`, [...names.map((name) => changes[name]), requestId]);
      const details = { requestId, cardNumber: request.cardNumber, hsaId: request.hsaId, portalReference: changes.portal_reference ?? null, from: request.state, to: next.state };
      if (request.orderId !== null) await store.addEvent({ orderId: request.orderId, at, action: `block-${action === 'confirm' ? 'confirmed' : 'closed'}`, station, actor: caller.actor, details });
      await appendAudit(db, {
        station,
        actor: caller.actor,
        action: `block-request.${action === 'confirm' ? 'confirmed' : 'closed'}`,
        ...(request.orderId !== null ? { subjectType: 'card' as const, subjectId: String(request.orderId) } : {}),
        outcome: 'ok',
        details,
        at: new Date(at),
      });
    });
    return blockRequestOf(db, requestId, caller.scope);
  }

  return {
    /** A card registered here and still in use is blocked through its order; any other card number or HSA-ID gets a request of its own. */
    async create(input: NewBlockRequest, caller: Caller): Promise<BlockRequest> {
      const cardNumber = input.cardNumber ?? null;
      const hsaId = input.hsaId ?? null;
      if ((await openRequestFor(cardNumber, hsaId)) !== undefined) throw new AppError('block-request-done', `A block request for ${cardNumber ?? hsaId} is open already`);
      const order = cardNumber ? await store.orderByCardNumber(cardNumber, caller.scope) : undefined;
      if (order && transition(order.state, 'block').ok) return lifecycle.block({ orderId: order.id, reason: input.reason, reportedBy: input.reportedBy, note: input.note, hsaId }, caller);
      const at = now().toISOString();
      const station = await store.stationName();
      const id = await db.transaction(async () => {
        const requestId = await db.insert(
          `INSERT INTO block_request (order_id, card_number, hsa_id, reason, reported_by, note, at, station, staff, keep_until, state)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'requested')`,
          [order?.id ?? null, cardNumber, hsaId, input.reason, input.reportedBy, input.note, at, station, caller.actor, keepUntil(at)],
        );
        await appendAudit(db, {
          station,
          actor: caller.actor,
          action: 'block-request.recorded',
          ...(order ? { subjectType: 'card' as const, subjectId: String(order.id) } : {}),
          outcome: 'ok',
          details: { requestId, cardNumber, hsaId, reason: input.reason, reportedBy: input.reportedBy, registeredHere: order !== undefined },
          at: new Date(at),
        });
        return requestId;
      });
      return blockRequestOf(db, id, caller.scope);
    },

    confirm: (requestId: number, portalReference: string, caller: Caller): Promise<BlockRequest> =>
      step(requestId, 'confirm', caller, (at) => ({ confirmed_by: caller.actor, confirmed_at: at, portal_reference: portalReference })),

    close: (requestId: number, caller: Caller): Promise<BlockRequest> => step(requestId, 'close', caller, (at) => ({ closed_by: caller.actor, closed_at: at })),
  };
}

export type BlockRequests = ReturnType<typeof createBlockRequests>;
