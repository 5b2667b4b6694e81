// The administrators' reports: one filtered query per report, paged and sorted for the screen, whole for .xlsx and .csv.
import { NO_PROGRESS, type WorkProgress } from '../work/jobs';
import type { ExportedFile, ReportFilters, ReportName, ReportPage, TableColumn, TableRow } from '@shared/contract';
import { appendAudit, type AuditDetails } from '../audit/audit';
import type { AuditedBy } from '../audit/audited-by';
import { EMPLOYMENT_FOLLOW_UP_DAYS, EXPIRY_FOLLOW_UP_DAYS } from '../cards/reports';
import type { Db, Engine } from '../db/data-layer';
import type { UnitScope } from '../organisation/organisation';
import { exportTable } from './table-export';

const DAY_MS = 86_400_000;

/** What every query may bind: the filters, the caller's units and today's limits. */
interface QueryParameters {
  from: string;
  to: string;
  unitId: number | null;
  stationId: number | null;
  status: string | null;
  kind: string | null;
  scopeAll: number;
  scopeUnits: readonly number[];
  today: string;
  expiryLimit: string;
  endLimit: string;
}

interface ReportDefinition {
  title: string;
  columns: TableColumn[];
  /** The query with @name parameters; the few parts the two engines spell differently come from `engine`. */
  sql: (engine: Engine) => string;
  /** Cells worked out after the query, where date arithmetic would need each engine's own functions. */
  finish?: (row: TableRow, parameters: QueryParameters) => TableRow;
}

const col = (key: string, header: string, type: TableColumn['type'] = 'text'): TableColumn => ({ key, header, type });

/** 'YYYYMMDD-****': reports leave the building as files, the last four digits stay behind. */
const MASKED_PERSONNUMMER = `substr(p.personnummer, 1, 8) || '-****'`;
const PERSON_NAME = `p.first_name || ' ' || p.surname`;
// typed, because PostgreSQL cannot tell what a bare parameter compared with NULL is
const UNIT_ID = 'CAST(@unitId AS bigint)';
const STATION_ID = 'CAST(@stationId AS bigint)';
const STATUS = 'CAST(@status AS text)';
const KIND = 'CAST(@kind AS text)';
/** @scopeUnits stands for the caller's unit ids as a list. */
const PERSON_IN_SCOPE = `(@scopeAll = 1 OR EXISTS (SELECT 1 FROM person_unit pu WHERE pu.person_id = p.id AND pu.unit_id IN (@scopeUnits)))`;
const PERSON_IN_UNIT = `(${UNIT_ID} IS NULL OR EXISTS (SELECT 1 FROM person_unit pu WHERE pu.person_id = p.id AND pu.unit_id = ${UNIT_ID}))`;
/** A unit administrator sees tokens their units own; the station's own stock belongs to no unit. */
const TOKEN_IN_SCOPE = `(@scopeAll = 1 OR t.unit_id IN (@scopeUnits))`;
const IN_DATE_RANGE = (column: string) => `substr(${column}, 1, 10) BETWEEN @from AND @to`;
/** Where a token event happened; an event older than stations in the region counts as at the token's stock station. */
const TOKEN_EVENT_STATION = `COALESCE(te.station, (SELECT st.name FROM station st WHERE st.id = t.station_id))`;
const AT_STATION = (column: string) => `(${STATION_ID} IS NULL OR ${column} = (SELECT name FROM station WHERE id = ${STATION_ID}))`;
/** One field of a JSON text column: SQLite reads the text as JSON itself, PostgreSQL needs it cast. */
const jsonField = (engine: Engine, column: string, key: string) => (engine === 'postgres' ? `(CAST(${column} AS jsonb) ->> '${key}')` : `(${column} ->> '${key}')`);
const joinedNames = (engine: Engine, column: string) => (engine === 'postgres' ? `string_agg(${column}, ', ')` : `group_concat(${column}, ', ')`);
const counted = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

function cardEventReport(
  action: 'hand-over' | 'return',
  title: string,
  extra: TableColumn[],
  extraSelect: (engine: Engine) => string,
  extraWhere: (engine: Engine) => string,
): ReportDefinition {
  return {
    title,
    columns: [col('at', 'Tid', 'datetime'), col('name', 'Namn'), col('personnummer', 'Personnummer'), col('cardNumber', 'Kortnummer'), ...extra, col('station', 'Station'), col('staff', 'Personal')],
    sql: (engine) => `SELECT e.at, ${PERSON_NAME} AS name, ${MASKED_PERSONNUMMER} AS personnummer, o.card_number AS "cardNumber"${extraSelect(engine)}, e.station, COALESCE(sa.display_name, e.actor) AS staff
      FROM card_event e JOIN card_order o ON o.id = e.order_id JOIN person p ON p.id = o.person_id LEFT JOIN staff_account sa ON CAST(sa.id AS TEXT) = e.actor
      WHERE e.action = '${action}' AND ${IN_DATE_RANGE('e.at')} AND ${AT_STATION('e.station')} AND ${PERSON_IN_UNIT} AND ${PERSON_IN_SCOPE}${extraWhere(engine)}
      ORDER BY e.at DESC, e.id DESC`,
  };
}

export const REPORTS: Record<ReportName, ReportDefinition> = {
  /** The dashboard's figures as a table, one row per (UTC) month: there is no chart library to draw them. */
  monthly: {
    title: 'Per månad',
    columns: [col('month', 'Månad'), col('handovers', 'Utlämnade kort', 'integer'), col('returns', 'Återlämnade kort', 'integer'), col('blocks', 'Spärrbegäranden', 'integer'), col('tokensIssued', 'Utlämnade dosor', 'integer'), col('tokensLost', 'Borttappade dosor', 'integer')],
    sql: () => `SELECT month, ${counted("what = 'hand-over'")} AS handovers, ${counted("what = 'return'")} AS returns, ${counted("what = 'block'")} AS blocks,
        ${counted("what = 'token.issued'")} AS "tokensIssued", ${counted("what = 'token.lost'")} AS "tokensLost"
      FROM (
        SELECT substr(e.at, 1, 7) AS month, e.action AS what FROM card_event e JOIN card_order o ON o.id = e.order_id JOIN person p ON p.id = o.person_id
        WHERE e.action IN ('hand-over', 'return') AND ${IN_DATE_RANGE('e.at')} AND ${AT_STATION('e.station')} AND ${PERSON_IN_UNIT} AND ${PERSON_IN_SCOPE}
        UNION ALL
        SELECT substr(b.at, 1, 7), 'block' FROM block_request b LEFT JOIN card_order o ON o.id = b.order_id LEFT JOIN person p ON p.id = o.person_id
        WHERE ${IN_DATE_RANGE('b.at')} AND ${AT_STATION('b.station')} AND ${PERSON_IN_UNIT} AND ${PERSON_IN_SCOPE}
        UNION ALL
        SELECT substr(te.at, 1, 7), te.action FROM token_event te JOIN token t ON t.id = te.token_id
        WHERE te.action IN ('token.issued', 'token.lost') AND ${IN_DATE_RANGE('te.at')} AND ${AT_STATION(TOKEN_EVENT_STATION)} AND (${UNIT_ID} IS NULL OR t.unit_id = ${UNIT_ID}) AND ${TOKEN_IN_SCOPE}) AS happened
      GROUP BY month ORDER BY month DESC`,
  },
  handovers: cardEventReport('hand-over', 'Utlämnade kort', [], () => '', () => ''),
  returns: cardEventReport(
    'return',
    'Återlämnade kort',
    [col('reason', 'Orsak')],
    (engine) => `, ${jsonField(engine, 'e.details', 'reason')} AS reason`,
    (engine) => ` AND (${STATUS} IS NULL OR ${jsonField(engine, 'e.details', 'reason')} = ${STATUS})`,
  ),
  'block-requests': {
    title: 'Spärrbegäranden',
    columns: [col('at', 'Tid', 'datetime'), col('cardNumber', 'Kortnummer'), col('name', 'Namn'), col('personnummer', 'Personnummer'), col('reason', 'Orsak'), col('reportedBy', 'Anmält av'), col('station', 'Station'), col('staff', 'Personal'), col('state', 'Status'), col('portalReference', 'Referens i SITHS eID-portalen')],
    // a request for a card not registered here names no person: LEFT JOINs keep it for those who see every unit
    sql: () => `SELECT b.at, b.card_number AS "cardNumber", ${PERSON_NAME} AS name, ${MASKED_PERSONNUMMER} AS personnummer, b.reason, b.reported_by AS "reportedBy", b.station, COALESCE(sa.display_name, b.staff) AS staff,
        b.state, b.portal_reference AS "portalReference"
      FROM block_request b LEFT JOIN card_order o ON o.id = b.order_id LEFT JOIN person p ON p.id = o.person_id LEFT JOIN staff_account sa ON CAST(sa.id AS TEXT) = b.staff
      WHERE ${IN_DATE_RANGE('b.at')} AND ${AT_STATION('b.station')} AND (${STATUS} IS NULL OR b.reason = ${STATUS}) AND ${PERSON_IN_UNIT} AND ${PERSON_IN_SCOPE}
      ORDER BY b.at DESC, b.id DESC`,
  },
  'token-events': {
    title: 'Dosor: utlämnade, återlämnade, borttappade, trasiga',
    columns: [col('at', 'Tid', 'datetime'), col('event', 'Händelse'), col('serial', 'Serienummer'), col('name', 'Namn'), col('personnummer', 'Personnummer'), col('unit', 'Enhet'), col('reference', 'Referens'), col('station', 'Station'), col('actor', 'Personal')],
    sql: () => `SELECT te.at, substr(te.action, 7) AS event, t.serial, ${PERSON_NAME} AS name, ${MASKED_PERSONNUMMER} AS personnummer, u.name AS unit, u.reference, ${TOKEN_EVENT_STATION} AS station, COALESCE(sa.display_name, te.actor) AS actor
      FROM token_event te JOIN token t ON t.id = te.token_id LEFT JOIN person p ON p.id = te.person_id LEFT JOIN unit u ON u.id = t.unit_id LEFT JOIN staff_account sa ON CAST(sa.id AS TEXT) = te.actor
      WHERE te.action IN ('token.issued', 'token.returned', 'token.lost', 'token.defective') AND (${KIND} IS NULL OR te.action = 'token.' || ${KIND})
        AND ${IN_DATE_RANGE('te.at')} AND ${AT_STATION(TOKEN_EVENT_STATION)} AND (${UNIT_ID} IS NULL OR t.unit_id = ${UNIT_ID}) AND ${TOKEN_IN_SCOPE}
      ORDER BY te.at DESC, te.id DESC`,
  },
  stock: {
    title: 'Dosor per enhet och station',
    columns: [col('unit', 'Enhet'), col('reference', 'Referens'), col('station', 'Station'), col('state', 'Status'), col('count', 'Antal', 'integer')],
    sql: () => `SELECT COALESCE(u.name, '(stationens egna)') AS unit, u.reference, s.name AS station, t.state, COUNT(*) AS count
      FROM token t LEFT JOIN unit u ON u.id = t.unit_id LEFT JOIN station s ON s.id = t.station_id
      WHERE (${STATION_ID} IS NULL OR t.station_id = ${STATION_ID}) AND (${UNIT_ID} IS NULL OR t.unit_id = ${UNIT_ID}) AND (${STATUS} IS NULL OR t.state = ${STATUS}) AND ${TOKEN_IN_SCOPE}
      GROUP BY t.unit_id, t.station_id, t.state, u.name, u.reference, s.name ORDER BY u.name, s.name, t.state`,
  },
  'certificates-expiring': {
    title: `Certifikat som går ut inom ${EXPIRY_FOLLOW_UP_DAYS} dagar`,
    columns: [col('notAfter', 'Slutdatum', 'date'), col('daysLeft', 'Dagar kvar', 'integer'), col('name', 'Namn'), col('personnummer', 'Personnummer'), col('cardNumber', 'Kortnummer'), col('email', 'E-post')],
    sql: () => `SELECT substr(o.certificates_not_after, 1, 10) AS "notAfter",
        ${PERSON_NAME} AS name, ${MASKED_PERSONNUMMER} AS personnummer, o.card_number AS "cardNumber", p.email
      FROM card_order o JOIN person p ON p.id = o.person_id
      WHERE o.state = 'handed-over' AND o.certificates_not_after >= @today AND o.certificates_not_after <= @expiryLimit
        AND (${STATION_ID} IS NULL OR o.photo_station_id = ${STATION_ID}) AND ${PERSON_IN_UNIT} AND ${PERSON_IN_SCOPE}
      ORDER BY o.certificates_not_after`,
    // whole days between two dates at UTC midnight
    finish: (row, { today }) => ({ ...row, daysLeft: Math.round((Date.parse(String(row.notAfter)) - Date.parse(today)) / DAY_MS) }),
  },
  'employment-ending': {
    title: `Anställning slut eller slutar inom ${EMPLOYMENT_FOLLOW_UP_DAYS} dagar, med kort eller dosa kvar`,
    columns: [col('employmentEnd', 'Anställning slutar', 'date'), col('name', 'Namn'), col('personnummer', 'Personnummer'), col('units', 'Enheter'), col('cards', 'Kort', 'integer'), col('tokens', 'Dosor', 'integer'), col('email', 'E-post')],
    sql: (engine) => `SELECT * FROM (
        SELECT p.employment_end AS "employmentEnd", ${PERSON_NAME} AS name, ${MASKED_PERSONNUMMER} AS personnummer,
          (SELECT ${joinedNames(engine, 'u.name')} FROM person_unit pu JOIN unit u ON u.id = pu.unit_id WHERE pu.person_id = p.id) AS units,
          (SELECT COUNT(*) FROM card_order o WHERE o.person_id = p.id AND o.state = 'handed-over') AS cards,
          (SELECT COUNT(*) FROM token t WHERE t.person_id = p.id AND t.state = 'issued') AS tokens, p.email
        FROM person p
        WHERE p.employment_end IS NOT NULL AND p.employment_end <= @endLimit AND ${PERSON_IN_UNIT} AND ${PERSON_IN_SCOPE}) AS ending
      WHERE cards > 0 OR tokens > 0 ORDER BY "employmentEnd"`,
  },
};

function parametersOf(filters: ReportFilters, scope: UnitScope, now: Date): QueryParameters {
  return {
    from: filters.from ?? '0000-01-01',
    to: filters.to ?? '9999-12-31',
    unitId: filters.unitId ?? null,
    stationId: filters.stationId ?? null,
    status: filters.status ?? null,
    kind: filters.kind ?? null,
    scopeAll: scope.kind === 'all' ? 1 : 0,
    scopeUnits: scope.kind === 'all' ? [] : scope.unitIds,
    today: now.toISOString().slice(0, 10),
    // the whole last day counts: notAfter carries a time
    expiryLimit: `${new Date(now.getTime() + EXPIRY_FOLLOW_UP_DAYS * DAY_MS).toISOString().slice(0, 10)}T23:59:59.999Z`,
    endLimit: new Date(now.getTime() + EMPLOYMENT_FOLLOW_UP_DAYS * DAY_MS).toISOString().slice(0, 10),
  };
}

/** @name becomes ?, in order; a list becomes one ? per item, or NULL when empty (IN () is no SQL). */
function positional(text: string, parameters: QueryParameters): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const positionalText = text.replace(/@(\w+)/g, (_, name: string) => {
    const value = parameters[name as keyof QueryParameters];
    if (!Array.isArray(value)) {
      params.push(value);
      return '?';
    }
    params.push(...(value as readonly number[]));
    return value.length === 0 ? 'NULL' : value.map(() => '?').join(', ');
  });
  return { text: positionalText, params };
}

export async function reportRows(db: Db, report: ReportName, filters: ReportFilters, scope: UnitScope, now: Date): Promise<TableRow[]> {
  const { sql, finish } = REPORTS[report];
  const parameters = parametersOf(filters, scope, now);
  const { text, params } = positional(sql(db.engine), parameters);
  const rows = await db.all<TableRow>(text, params);
  return finish ? rows.map((row) => finish(row, parameters)) : rows;
}

const collator = new Intl.Collator('sv', { numeric: true });

/** Sorts by one column; empty cells last whichever the direction. */
export function sortRows(rows: TableRow[], key: string, direction: 'asc' | 'desc'): TableRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  return rows.sort((a, b) => {
    const left = a[key] ?? null;
    const right = b[key] ?? null;
    if (left === null || right === null) return left === right ? 0 : left === null ? 1 : -1;
    return sign * (typeof left === 'number' && typeof right === 'number' ? left - right : collator.compare(String(left), String(right)));
  });
}

export interface ReportRequest {
  report: ReportName;
  filters: ReportFilters;
  sort?: { key: string; direction: 'asc' | 'desc' };
  limit: number;
  offset: number;
}

export async function runReport(db: Db, request: ReportRequest, scope: UnitScope, now: Date): Promise<ReportPage> {
  const { columns } = REPORTS[request.report];
  const rows = await reportRows(db, request.report, request.filters, scope, now);
  const sortKey = request.sort && columns.some((column) => column.key === request.sort?.key) ? request.sort : undefined;
  const sorted = sortKey ? sortRows(rows, sortKey.key, sortKey.direction) : rows;
  return { columns, rows: sorted.slice(request.offset, request.offset + request.limit), total: rows.length };
}

/** The export takes personal data off the station, so it is recorded before the file exists; no record, no file. */
/** The file of a report; the trail records it once the file is made, so a cancelled export (`progress` throws) records nothing. */
export async function exportReport(db: Db, request: { report: ReportName; filters: ReportFilters; format: 'xlsx' | 'csv' }, scope: UnitScope, by: AuditedBy, progress: WorkProgress = NO_PROGRESS): Promise<ExportedFile> {
  const { title, columns } = REPORTS[request.report];
  const rows = await reportRows(db, request.report, request.filters, scope, by.now);
  const file = await exportTable(request.format, `${request.report}-${by.now.toISOString().slice(0, 10)}`, title, columns, rows, progress);
  await appendAudit(db, { station: by.station, actor: by.actor, action: 'report.exported', outcome: 'ok', details: { report: request.report, format: request.format, rows: rows.length, filters: JSON.parse(JSON.stringify(request.filters)) as AuditDetails }, at: by.now });
  return file;
}
