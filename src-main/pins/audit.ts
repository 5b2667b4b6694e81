// How a PIN attempt enters the audit trail: which PIN, the card's answer and tries left, never a value.
import type BetterSqlite3 from 'better-sqlite3';
import { appendAudit, type AuditOutcome } from '../audit/audit';
import type { PinAuditFacts } from './pins';

function auditOutcome(facts: PinAuditFacts): AuditOutcome {
  if (facts.outcome === 'changed' || facts.outcome === 'unblocked') return 'ok';
  return facts.outcome === 'failed' || facts.outcome === 'not-supported' ? 'failed' : 'refused';
}

export function pinAuditWriter(sqlite: BetterSqlite3.Database, station: () => string): (facts: PinAuditFacts) => void {
  return (facts) =>
    appendAudit(sqlite, {
      station: station(),
      actor: facts.actor,
      action: facts.action,
      subjectType: facts.cardSerial ? 'card' : 'reader',
      subjectId: facts.cardSerial ?? facts.reader,
      outcome: auditOutcome(facts),
      details: { reader: facts.reader, which: facts.pin, result: facts.outcome, triesLeft: facts.triesLeft, ...(facts.rejections ? { rejections: [...facts.rejections] } : {}), ...(facts.advisedAgainst ? { advisedAgainst: true } : {}) },
    });
}
