// The monthly invoice basis: charges per calendar month grouped per reference, closing (freezing) a month, corrections and export.
import type { ChargeKind, ExportedFile, InvoiceBasis, InvoiceLine, InvoiceMonthView, SalaryDeductions, TableColumn } from '@shared/contract';
import { localDate, monthMayClose, nextMonth, oreToKronor } from '@shared/domain/invoice-month';
import { chargeMonth } from '@shared/domain/token-charges';
import { AppError } from '../app-error';
import { appendAudit } from '../audit/audit';
import type { AuditedBy } from '../audit/audited-by';
import type { Db } from '../db/data-layer';
import { unitIdsIn, type UnitScope } from '../organisation/organisation';
import { exportTable } from './table-export';

export interface ChargeRow {
  id: number;
  at: string;
  kind: ChargeKind;
  amount_ore: number;
  reference: string | null;
  unit_id: number | null;
  unit_name: string | null;
  /** The unit holding the charge's reference, the one invoiced; absent in rows built without it. */
  billing_unit_name?: string | null;
  billing_address?: string | null;
  /** Set when the person pays: the charge is a salary deduction, not on the unit's invoice. */
  person_id: number | null;
  person_name: string | null;
  employee_number: string | null;
  serial: string | null;
  correction_of: number | null;
  station: string | null;
}

export async function isMonthClosed(db: Db, month: string): Promise<boolean> {
  return (await db.one('SELECT month FROM invoice_month WHERE month = ?', [month])) !== undefined;
}

/** The month a charge made at `at` belongs to: its own, or the next when its own was closed on its last day. */
export async function openChargeMonth(db: Db, at: Date): Promise<string> {
  let month = chargeMonth(at);
  while (await isMonthClosed(db, month)) month = nextMonth(month);
  return month;
}

/** For any writer of charges: a closed month is invoiced and cannot change. */
export async function assertMonthOpen(db: Db, month: string): Promise<void> {
  if (await isMonthClosed(db, month)) throw new AppError('invoice-month-closed', `Invoice month ${month} is closed`);
}

async function basesOf(db: Db, month: string, scope: UnitScope): Promise<Pick<InvoiceMonthView, 'bases' | 'salaryDeductions'>> {
  const rows = await chargesOf(db, month, scope);
  return { bases: groupByReference(rows), salaryDeductions: salaryDeductions(rows) };
}

async function chargesOf(db: Db, month: string, scope: UnitScope): Promise<ChargeRow[]> {
  // a unit administrator sees their units' charges and whatever is billed on their units' references
  const inScope = scope.kind === 'all' ? { sql: '1 = 1', params: [] } : unitIdsIn('charge.unit_id', scope.unitIds);
  const billedToScope = scope.kind === 'all' ? { sql: '1 = 1', params: [] } : unitIdsIn('billing_unit.id', scope.unitIds);
  return db.all<ChargeRow>(
    `SELECT charge.id, charge.at, charge.kind, charge.amount_ore, charge.reference, charge.unit_id, unit.name AS unit_name,
              billing_unit.name AS billing_unit_name, billing_unit.billing_address,
              charge.person_id, person.first_name || ' ' || person.surname AS person_name, person.employee_number, token.serial, charge.correction_of, charge.station
       FROM charge LEFT JOIN unit ON unit.id = charge.unit_id LEFT JOIN person ON person.id = charge.person_id LEFT JOIN token ON token.id = charge.token_id
         LEFT JOIN unit billing_unit ON billing_unit.organisation_id = unit.organisation_id AND billing_unit.reference = charge.reference
       WHERE charge.month = ? AND (${inScope.sql} OR ${billedToScope.sql}) ORDER BY charge.reference, charge.at, charge.id`,
    [month, ...inScope.params, ...billedToScope.params],
  );
}

/** One basis per reference the unit was charged on, named after the unit holding the reference; a reference with no charge gets none, and what a person pays is a salary deduction instead. */
export function groupByReference(rows: readonly ChargeRow[]): InvoiceBasis[] {
  const byReference = new Map<string | null, { basis: InvoiceBasis; totalOre: number }>();
  for (const row of rows.filter((charge) => charge.person_id === null)) {
    let group = byReference.get(row.reference);
    if (!group) {
      group = { basis: { reference: row.reference, unit: row.billing_unit_name ?? row.unit_name, billingAddress: row.billing_address ?? null, lines: [], total: 0 }, totalOre: 0 };
      byReference.set(row.reference, group);
    }
    const line: InvoiceLine = {
      chargeId: row.id,
      date: localDate(new Date(row.at)),
      kind: row.kind,
      serial: row.serial,
      amount: oreToKronor(row.amount_ore),
      correctionOf: row.correction_of,
      station: row.station,
      unit: row.unit_name,
    };
    group.basis.lines.push(line);
    // summed in öre: kronor as floats would drift by a fraction of an öre
    group.totalOre += row.amount_ore;
  }
  return [...byReference.values()].map(({ basis, totalOre }) => ({ ...basis, total: oreToKronor(totalOre) }));
}

/** Löneavdrag: the person-paid charges by name and employee number, in name order, so payroll can deduct them. */
export function salaryDeductions(rows: readonly ChargeRow[]): SalaryDeductions {
  const paid = rows.filter((row) => row.person_id !== null).sort((a, b) => (a.person_name ?? '').localeCompare(b.person_name ?? '', 'sv') || a.at.localeCompare(b.at) || a.id - b.id);
  return {
    lines: paid.map((row) => ({
      chargeId: row.id,
      date: localDate(new Date(row.at)),
      kind: row.kind,
      name: row.person_name ?? '',
      employeeNumber: row.employee_number,
      unit: row.unit_name,
      serial: row.serial,
      amount: oreToKronor(row.amount_ore),
      correctionOf: row.correction_of,
      station: row.station,
    })),
    // summed in öre, as the bases are
    total: oreToKronor(paid.reduce((sum, row) => sum + row.amount_ore, 0)),
  };
}

export async function invoiceMonth(db: Db, month: string, scope: UnitScope, now: Date): Promise<InvoiceMonthView> {
  const closed = await db.one<{ closed_at: string; closed_by: string }>('SELECT closed_at, closed_by FROM invoice_month WHERE month = ?', [month]);
  return {
    month,
    closedAt: closed?.closed_at ?? null,
    closedBy: closed?.closed_by ?? null,
    mayClose: !closed && monthMayClose(month, now),
    ...(await basesOf(db, month, scope)),
  };
}

export interface InvoiceActor {
  actor: string;
  station: string;
  now: Date;
}

/** Freezes a month once it has ended: from now on its charges are what was invoiced. */
export async function closeInvoiceMonth(db: Db, month: string, by: InvoiceActor): Promise<InvoiceMonthView> {
  if (!monthMayClose(month, by.now)) throw new AppError('invoice-month-not-ended', `Invoice month ${month} has not ended yet`);
  await db.transaction(async () => {
    await assertMonthOpen(db, month);
    await db.run('INSERT INTO invoice_month (month, closed_at, closed_by) VALUES (?, ?, ?)', [month, by.now.toISOString(), by.actor]);
    const totals = await db.one<{ charges: number; ore: number | null }>('SELECT COUNT(*) AS charges, SUM(amount_ore) AS ore FROM charge WHERE month = ?', [month]);
    await appendAudit(db, { station: by.station, actor: by.actor, action: 'invoice.month-closed', outcome: 'ok', details: { month, charges: totals?.charges ?? 0, amountOre: totals?.ore ?? 0 }, at: by.now });
  });
  return invoiceMonth(db, month, { kind: 'all' }, by.now);
}

/** A correction is a new charge in the first open month pointing at the original, never an edit of it. */
export function correctCharge(db: Db, chargeId: number, amountOre: number, by: InvoiceActor): Promise<{ id: number; month: string }> {
  return db.transaction(async () => {
    const original = await db.one<{ id: number }>('SELECT id FROM charge WHERE id = ?', [chargeId]);
    if (!original) throw new AppError('not-found', `No charge ${chargeId}`);
    const month = await openChargeMonth(db, by.now);
    const id = await db.insert(
      `INSERT INTO charge (at, month, kind, amount_ore, person_id, unit_id, reference, token_id, correction_of, station)
       SELECT ?, ?, kind, ?, person_id, unit_id, reference, token_id, id, ? FROM charge WHERE id = ?`,
      [by.now.toISOString(), month, amountOre, by.station, chargeId],
    );
    await appendAudit(db, { station: by.station, actor: by.actor, action: 'invoice.charge-corrected', outcome: 'ok', details: { chargeId: id, correctionOf: chargeId, month, amountOre }, at: by.now });
    return { id, month };
  });
}

const INVOICE_COLUMNS: TableColumn[] = [
  { key: 'section', header: 'Avsnitt', type: 'text' },
  { key: 'reference', header: 'Referens', type: 'text' },
  { key: 'unit', header: 'Enhet', type: 'text' },
  { key: 'date', header: 'Datum', type: 'date' },
  { key: 'kind', header: 'Typ', type: 'text' },
  { key: 'name', header: 'Namn', type: 'text' },
  { key: 'employeeNumber', header: 'Anställningsnummer', type: 'text' },
  { key: 'serial', header: 'Serienummer', type: 'text' },
  { key: 'amount', header: 'Belopp (kr)', type: 'amount' },
  { key: 'correctionOf', header: 'Rättelse av', type: 'integer' },
  { key: 'station', header: 'Station', type: 'text' },
];

const KIND_LABELS: Record<ChargeKind, string> = { 'lost-token': 'Borttappad dosa', 'token-purchase': 'Köpt dosa' };

/** One sheet with a section and a reference column: invoices filter per reference, and the Löneavdrag rows carry no reference, so no invoicing system bills a unit for them. */
export async function exportInvoiceMonth(db: Db, month: string, scope: UnitScope, format: 'xlsx' | 'csv', by: AuditedBy): Promise<ExportedFile> {
  const { bases, salaryDeductions: deductions } = await basesOf(db, month, scope);
  const rows = [
    ...bases.flatMap((basis) =>
      basis.lines.map((line) => ({ section: 'Faktura', reference: basis.reference, unit: line.unit, date: line.date, kind: KIND_LABELS[line.kind], name: null, employeeNumber: null, serial: line.serial, amount: line.amount, correctionOf: line.correctionOf, station: line.station })),
    ),
    ...deductions.lines.map((line) => ({ section: 'Löneavdrag', reference: null, unit: line.unit, date: line.date, kind: KIND_LABELS[line.kind], name: line.name, employeeNumber: line.employeeNumber, serial: line.serial, amount: line.amount, correctionOf: line.correctionOf, station: line.station })),
  ];
  // recorded before the file exists: an export the trail cannot record does not happen
  await appendAudit(db, { station: by.station, actor: by.actor, action: 'invoice.exported', outcome: 'ok', details: { month, format, rows: rows.length }, at: by.now });
  return exportTable(format, `fakturaunderlag-${month}`, `Fakturaunderlag ${month}`, INVOICE_COLUMNS, rows);
}
