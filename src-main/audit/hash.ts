// The audit trail's chain rule as pure functions: each row's hash is an HMAC under the audit key over its id, its content and the previous hash.
import { createHmac } from 'node:crypto';
import type { AuditEntryTable } from '../db/schema';

/** The prev_hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** One stored row exactly as it is in audit_entry, less its own hash; details is the stored JSON text, never re-serialised. */
// the chain column is not hashed: a row moved to another chain breaks the links of both, which verify reports
export type AuditRow = Omit<AuditEntryTable, 'hash' | 'chain'>;

/** A JSON array in a fixed column order: unambiguous (strings are quoted and escaped) and the same in any runtime. */
export function canonicalAuditRow(row: AuditRow): string {
  return JSON.stringify([row.id, row.at, row.station, row.actor, row.action, row.subject_type, row.subject_id, row.outcome, row.details, row.prev_hash]);
}

const hmac = (key: Buffer, text: string): string => createHmac('sha256', key).update(text, 'utf8').digest('hex');

/** Without the key nobody can recompute a row's hash, so rewriting the chain with plain SQL shows. */
export function auditRowHash(key: Buffer, row: AuditRow): string {
  return hmac(key, canonicalAuditRow(row));
}

// the messages below start with a text tag, rows with a number: no row's hash can stand in for a head's or an anchor's
// the chain's name is under the MAC, so one station's head cannot stand in for another's
export function auditHeadMac(key: Buffer, chain: string, id: number, hash: string): string {
  return hmac(key, JSON.stringify(['audit.chain-head', chain, id, hash]));
}

export interface AnchorFields {
  rowId: number;
  hash: string;
  rowAt: string | null;
  station: string;
  anchoredAt: string;
}

export function auditAnchorMac(key: Buffer, anchor: AnchorFields): string {
  return hmac(key, JSON.stringify(['audit.anchor', 1, anchor.rowId, anchor.hash, anchor.rowAt, anchor.station, anchor.anchoredAt]));
}

// asked at every append, and a key never changes: one HMAC per key, not one per row
const keyIds = new WeakMap<Buffer, string>();

/** Names the key without revealing it, so a station can tell "another key" from "a changed trail". */
export function auditKeyId(key: Buffer): string {
  let id = keyIds.get(key);
  if (id === undefined) keyIds.set(key, (id = hmac(key, JSON.stringify(['audit.key-id'])).slice(0, 16)));
  return id;
}
