// How a key check enters the audit trail: like a PIN attempt, which PIN, the card's answer and tries left, never the value.
import type BetterSqlite3 from 'better-sqlite3';
import { appendAudit, type AuditOutcome } from '../audit/audit';
import type { KeyCheck } from '../card/key-check';

const OUTCOMES: Record<KeyCheck['result'], AuditOutcome> = { ok: 'ok', mismatch: 'failed', 'wrong-pin': 'refused', blocked: 'refused', 'not-supported': 'failed' };

export function auditKeyCheck(sqlite: BetterSqlite3.Database, entry: { station: string; actor: string | null; reader: string; check: KeyCheck }): void {
  const { check } = entry;
  appendAudit(sqlite, {
    station: entry.station,
    actor: entry.actor,
    action: 'card.key-checked',
    subjectType: check.cardSerial ? 'card' : 'reader',
    subjectId: check.cardSerial ?? entry.reader,
    outcome: OUTCOMES[check.result],
    details: { reader: entry.reader, which: check.role, result: check.result, triesLeft: check.triesLeft },
  });
}
