// Procedures over the audit trail: read it with filters, export it for Excel, and check its hash chain.
import * as v from 'valibot';
import { jobField } from './work';
import { noInput, procedure, type Role } from './procedure';

export interface AuditRow {
  id: number;
  at: string;
  station: string;
  actor: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  outcome: string;
  details: Record<string, unknown> | null;
}

export interface AuditPage {
  entries: AuditRow[];
  total: number;
}

/** One station's chain in the trail. */
export interface AuditChainCheck {
  chain: string;
  rows: number;
  firstBadRow: number | null;
}

export interface AuditCheck {
  ok: boolean;
  rows: number;
  firstBadRow: number | null;
  chains: AuditChainCheck[];
}

const isoDate = v.pipe(v.string(), v.isoTimestamp());
const filters = {
  from: v.optional(isoDate),
  to: v.optional(isoDate),
  action: v.optional(v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/), v.maxLength(80))),
  actor: v.optional(v.pipe(v.string(), v.maxLength(80))),
  subjectType: v.optional(v.picklist(['person', 'card', 'token', 'reader', 'crl'])),
  subjectId: v.optional(v.pipe(v.string(), v.maxLength(80))),
  outcome: v.optional(v.picklist(['ok', 'refused', 'failed'])),
};

const AUDIT_READERS: readonly Role[] = ['org-admin', 'station-admin'];

export const auditProcedures = {
  'audit.query': procedure<AuditPage>()(
    v.strictObject({ ...filters, limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(500)), offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))) }),
    AUDIT_READERS,
  ),
  'audit.export': procedure<{ fileName: string; contentBase64: string; rows: number }>()(v.strictObject({ ...filters, ...jobField }), AUDIT_READERS),
  'audit.verify': procedure<AuditCheck>()(noInput, AUDIT_READERS),
} as const;
