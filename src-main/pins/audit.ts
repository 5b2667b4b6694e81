// How a PIN attempt enters the audit trail: which PIN, the card's answer and tries left, never a value.
import { appendAudit, type AuditOutcome } from '../audit/audit';
import type { Db } from '../db/data-layer';
import type { StationName } from '../organisation/station-label';
import type { PinAuditFacts } from './pins';

function auditOutcome(facts: PinAuditFacts): AuditOutcome {
  if (facts.outcome === 'changed' || facts.outcome === 'unblocked') return 'ok';
  return facts.outcome === 'failed' || facts.outcome === 'not-supported' ? 'failed' : 'refused';
}

export function pinAuditWriter(db: Db, station: StationName): (facts: PinAuditFacts) => Promise<void> {
  return async (facts) => {
    await appendAudit(db, {
      station: await station(),
      actor: facts.actor,
      action: facts.action,
      subjectType: facts.cardSerial ? 'card' : 'reader',
      subjectId: facts.cardSerial ?? facts.reader,
      outcome: auditOutcome(facts),
      details: { reader: facts.reader, which: facts.pin, result: facts.outcome, triesLeft: facts.triesLeft, ...(facts.rejections ? { rejections: [...facts.rejections] } : {}), ...(facts.advisedAgainst ? { advisedAgainst: true } : {}) },
    });
  };
}
