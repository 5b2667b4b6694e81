// How a key check enters the audit trail: like a PIN attempt, which PIN, the card's answer and tries left, never the value.
import { appendAudit, type AuditOutcome } from '../audit/audit';
import type { KeyCheck } from '../card/key-check';
import type { Db } from '../db/data-layer';

const OUTCOMES: Record<KeyCheck['result'], AuditOutcome> = { ok: 'ok', mismatch: 'failed', 'wrong-pin': 'refused', blocked: 'refused', 'not-supported': 'failed' };

export async function auditKeyCheck(db: Db, entry: { station: string; actor: string | null; reader: string; check: KeyCheck }): Promise<void> {
  const { check } = entry;
  await appendAudit(db, {
    station: entry.station,
    actor: entry.actor,
    action: 'card.key-checked',
    subjectType: check.cardSerial ? 'card' : 'reader',
    subjectId: check.cardSerial ?? entry.reader,
    outcome: OUTCOMES[check.result],
    details: { reader: entry.reader, which: check.role, result: check.result, triesLeft: check.triesLeft },
  });
}
