// Procedures of reports with filters and export, invoicing (monthly basis per reference, closing, export), and the e-mail outbox with its templates.
import * as v from 'valibot';
import { jobField } from './work';
import { MAIL_TEMPLATE_NAMES, type MailTemplateName } from '../domain/mail-templates';
import { noInput, procedure, type Role } from './procedure';

export type ChargeKind = 'lost-token' | 'token-purchase';

export const REPORT_NAMES = ['monthly', 'handovers', 'returns', 'block-requests', 'token-events', 'stock', 'certificates-expiring', 'employment-ending'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** 'date' holds 'YYYY-MM-DD'; 'datetime' an ISO instant; 'amount' kronor. */
export type ColumnType = 'text' | 'integer' | 'amount' | 'date' | 'datetime';

export interface TableColumn {
  key: string;
  /** The Swedish header the exported files carry. */
  header: string;
  type: ColumnType;
}

export type TableValue = string | number | null;
export type TableRow = Record<string, TableValue>;

export interface ReportPage {
  columns: TableColumn[];
  rows: TableRow[];
  total: number;
}

/** Token events a report can pick with `kind`. */
export const TOKEN_EVENT_KINDS = ['issued', 'returned', 'lost', 'defective'] as const;

export interface InvoiceLine {
  chargeId: number;
  /** 'YYYY-MM-DD', Swedish calendar day. */
  date: string;
  kind: ChargeKind;
  serial: string | null;
  /** Kronor. */
  amount: number;
  correctionOf: number | null;
  /** The station that made the charge; null for charges older than stations in the region. */
  station: string | null;
  /** The unit charged: a sub-unit billed on its parent's reference shows here under the parent's basis. */
  unit: string | null;
}

/** A charge the person pays: deducted from salary, so it names the person and the employee number, never the unit's reference. */
export interface SalaryDeductionLine {
  chargeId: number;
  date: string;
  kind: ChargeKind;
  name: string;
  /** Null when the register has none yet: the line is still shown, for the administrator to look up. */
  employeeNumber: string | null;
  /** The unit the person belongs to, to find the employer; not invoiced. */
  unit: string | null;
  serial: string | null;
  amount: number;
  correctionOf: number | null;
  /** The station that made the charge; null for charges older than stations in the region. */
  station: string | null;
}

export interface SalaryDeductions {
  lines: SalaryDeductionLine[];
  total: number;
}

/** One invoice's basis: everything charged to one reference in one month that the unit pays. */
export interface InvoiceBasis {
  reference: string | null;
  /** The unit that holds the reference: the one invoiced. */
  unit: string | null;
  billingAddress: string | null;
  lines: InvoiceLine[];
  total: number;
}

export interface InvoiceMonthView {
  month: string;
  closedAt: string | null;
  closedBy: string | null;
  mayClose: boolean;
  bases: InvoiceBasis[];
  /** Löneavdrag: the month's person-paid charges, apart from the invoices. */
  salaryDeductions: SalaryDeductions;
}

export interface ExportedFile {
  fileName: string;
  mimeType: string;
  contentBase64: string;
}

export const OUTBOX_STATES = ['queued', 'sent', 'failed'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxMessage {
  id: number;
  createdAt: string;
  to: string;
  subject: string;
  template: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
}

export interface MailTemplateInfo {
  name: MailTemplateName;
  subject: string;
  body: string;
  variables: string[];
  /** null while the built-in text is used. */
  updatedAt: string | null;
}

export const invoiceMonthInput = v.pipe(v.string(), v.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month is YYYY-MM'));
const exportFormat = v.picklist(['xlsx', 'csv']);
const recordId = v.pipe(v.number(), v.integer(), v.minValue(1));

const isoDate = v.pipe(v.string(), v.isoDate('a date is YYYY-MM-DD'));
export const reportFilters = v.strictObject({
  /** Inclusive UTC dates of the event; the follow-up reports (expiring, ending) count from today instead. */
  from: v.optional(isoDate),
  to: v.optional(isoDate),
  unitId: v.optional(recordId),
  stationId: v.optional(recordId),
  /** A return's or block's reason, or a token's state in the stock report. */
  status: v.optional(v.pipe(v.string(), v.maxLength(40))),
  kind: v.optional(v.picklist(TOKEN_EVENT_KINDS)),
});
export type ReportFilters = v.InferOutput<typeof reportFilters>;
export const MAX_REPORT_PAGE = 500;

const ADMINS: readonly Role[] = ['org-admin', 'station-admin'];
const VIEWERS: readonly Role[] = ['org-admin', 'station-admin', 'unit-admin'];

export const reportProcedures = {
  /** A unit administrator sees only the rows of their units' people and tokens. */
  'reports.run': procedure<ReportPage>()(
    v.strictObject({
      report: v.picklist(REPORT_NAMES),
      filters: reportFilters,
      sort: v.optional(v.strictObject({ key: v.pipe(v.string(), v.maxLength(40)), direction: v.picklist(['asc', 'desc']) })),
      limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_REPORT_PAGE)),
      offset: v.pipe(v.number(), v.integer(), v.minValue(0)),
    }),
    VIEWERS,
  ),
  'reports.export': procedure<ExportedFile>()(v.strictObject({ report: v.picklist(REPORT_NAMES), filters: reportFilters, format: exportFormat, ...jobField }), VIEWERS),
  /** A unit administrator sees only the charges of their units. */
  'invoices.month': procedure<InvoiceMonthView>()(v.strictObject({ month: invoiceMonthInput }), VIEWERS),
  'invoices.close': procedure<InvoiceMonthView>()(v.strictObject({ month: invoiceMonthInput }), ADMINS),
  'invoices.export': procedure<ExportedFile>()(v.strictObject({ month: invoiceMonthInput, format: exportFormat }), VIEWERS),
  'outbox.list': procedure<OutboxMessage[]>()(v.strictObject({ state: v.optional(v.picklist(OUTBOX_STATES)) }), ADMINS),
  'outbox.resend': procedure<OutboxMessage>()(v.strictObject({ id: recordId }), ADMINS),
  'templates.list': procedure<MailTemplateInfo[]>()(noInput, ADMINS),
  'templates.save': procedure<MailTemplateInfo>()(
    v.strictObject({
      name: v.picklist(MAIL_TEMPLATE_NAMES),
      subject: v.pipe(v.string(), v.trim(), v.minLength(1, 'the subject is empty'), v.maxLength(200, 'the subject is too long')),
      body: v.pipe(v.string(), v.minLength(1, 'the text is empty'), v.maxLength(10_000, 'the text is too long')),
    }),
    ADMINS,
  ),
} as const;

export const REPORT_ERROR_CODES = ['invoice-month-closed', 'invoice-month-not-ended', 'mail-template-invalid', 'mail-already-sent'] as const;
