// The audit trail's chain rule as a pure function: each row's hash covers its id, its content and the previous hash.
import { createHash } from 'node:crypto';
import type { AuditEntryTable } from '../db/schema';

/** The prev_hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** One stored row exactly as it is in audit_entry, less its own hash; details is the stored JSON text, never re-serialised. */
export type AuditRow = Omit<AuditEntryTable, 'hash'>;

/** A JSON array in a fixed column order: unambiguous (strings are quoted and escaped) and the same in any runtime. */
export function canonicalAuditRow(row: AuditRow): string {
  return JSON.stringify([row.id, row.at, row.station, row.actor, row.action, row.subject_type, row.subject_id, row.outcome, row.details, row.prev_hash]);
}

export function auditRowHash(row: AuditRow): string {
  return createHash('sha256').update(canonicalAuditRow(row), 'utf8').digest('hex');
}
