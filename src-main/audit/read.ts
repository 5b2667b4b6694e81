// Reads the audit trail for people: a filtered page for the audit view, and the CSV export that Excel opens as it is.
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Db } from '../db/data-layer';
import type { Database } from '../db/schema';
import { NO_PROGRESS, type WorkProgress } from '../work/jobs';
import { appendAudit, AuditInputError, toAuditEntry, type AuditEntry, type AuditSubjectType, type AuditOutcome } from './audit';
import type { AuditedBy } from './audited-by';

// read in pages by id, so a million rows never sit in memory at once and neither engine needs a cursor
const EXPORT_PAGE = 5000;

export interface AuditFilters {
  /** Inclusive; any date Date can parse (a bare date is UTC midnight). */
  from?: string;
  /** Exclusive, so `from` 1 March `to` 1 April is all of March. */
  to?: string;
  /** 'pin.changed' exactly, or 'pin' for every 'pin.*' action. */
  action?: string;
  actor?: string;
  subjectType?: AuditSubjectType;
  subjectId?: string;
  outcome?: AuditOutcome;
}

export interface AuditPageRequest extends AuditFilters {
  limit: number;
  offset?: number;
}

function isoInstant(value: string): string {
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) throw new AuditInputError(`"${value}" is not a date or time.`);
  return instant.toISOString();
}

function filtered(db: Kysely<Database>, filters: AuditFilters): SelectQueryBuilder<Database, 'audit_entry', object> {
  let query: SelectQueryBuilder<Database, 'audit_entry', object> = db.selectFrom('audit_entry');
  // stored times are toISOString() text, so normalising the bounds the same way makes text order time order
  if (filters.from !== undefined) query = query.where('at', '>=', isoInstant(filters.from));
  if (filters.to !== undefined) query = query.where('at', '<', isoInstant(filters.to));
  if (filters.action !== undefined) {
    const action = filters.action;
    // '/' sorts right after '.', so this range is every 'pin.*' and still uses the index
    query = query.where((where) => where.or([where('action', '=', action), where.and([where('action', '>', `${action}.`), where('action', '<', `${action}/`)])]));
  }
  if (filters.actor !== undefined) query = query.where('actor', '=', filters.actor);
  if (filters.subjectType !== undefined) query = query.where('subject_type', '=', filters.subjectType);
  if (filters.subjectId !== undefined) query = query.where('subject_id', '=', filters.subjectId);
  if (filters.outcome !== undefined) query = query.where('outcome', '=', filters.outcome);
  return query;
}

/** One page for the audit view, newest first, and how many entries match in all. */
export async function queryAudit(db: Kysely<Database>, request: AuditPageRequest): Promise<{ entries: AuditEntry[]; total: number }> {
  const query = filtered(db, request);
  const rows = await query.selectAll().orderBy('id', 'desc').limit(request.limit).offset(request.offset ?? 0).execute();
  const { total } = await query.select((select) => select.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  return { entries: rows.map(toAuditEntry), total: Number(total) };
}

const CSV_HEADER = ['id', 'tid (UTC)', 'station', 'personal', 'händelse', 'objekttyp', 'objekt-id', 'utfall', 'detaljer', 'föregående hash', 'hash'];

/** Quotes what Excel would split on, and defuses cells Excel would run as a formula. */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Semicolons, CRLF and a UTF-8 byte order mark: what Excel with Swedish settings opens without an import dialog. `progress` counts rows. */
export async function exportAuditCsv(db: Kysely<Database>, filters: AuditFilters, progress: WorkProgress = NO_PROGRESS): Promise<{ csv: string; rows: number }> {
  const lines = [CSV_HEADER.map(csvCell).join(';')];
  const { total } = await filtered(db, filters).select((select) => select.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  await progress.step(0, Number(total));
  // pages by id rather than a cursor, which PostgreSQL's driver would need a further library for
  for (let after = 0; ; ) {
    const rows = await filtered(db, filters).selectAll().where('id', '>', after).orderBy('id', 'asc').limit(EXPORT_PAGE).execute();
    for (const row of rows) lines.push([row.id, row.at, row.station, row.actor, row.action, row.subject_type, row.subject_id, row.outcome, row.details, row.prev_hash, row.hash].map(csvCell).join(';'));
    // entries written meanwhile may take the count past the first total
    await progress.step(lines.length - 1, Math.max(Number(total), lines.length - 1));
    if (rows.length < EXPORT_PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows: lines.length - 1 };
}

/** The export of every entry point: it takes personal data off the station, so the trail records it before the CSV is handed out; a cancelled export records nothing. */
export async function exportAuditTrail(db: Db, filters: AuditFilters, by: AuditedBy, progress: WorkProgress = NO_PROGRESS): Promise<{ csv: string; rows: number }> {
  const exported = await exportAuditCsv(db.kysely, filters, progress);
  await appendAudit(db, { station: by.station, actor: by.actor, action: 'audit.exported', outcome: 'ok', details: { rows: exported.rows }, at: by.now });
  return exported;
}
