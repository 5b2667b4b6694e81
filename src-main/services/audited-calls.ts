// Which router calls the audit trail records and what each is about; procedures that audit themselves with more facts (PINs, tokens, cards) are not here.
import type BetterSqlite3 from 'better-sqlite3';
import type { ProcedureName } from '@shared/contract';
import type { FinishedCall } from '../router';
import { appendAudit, type AuditSubjectType } from './audit';

type Subject = { type: AuditSubjectType; id: string } | null;
const idOf = (value: unknown): string | null => {
  const id = (value as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : null;
};
const person = (value: unknown): Subject => {
  const id = idOf(value);
  return id ? { type: 'person', id } : null;
};

/** action name and subject for each recorded procedure; reading a person's record is recorded too. */
const AUDITED: Partial<Record<ProcedureName, { action: string; subject(call: FinishedCall): Subject }>> = {
  'people.get': { action: 'person.viewed', subject: (call) => person(call.input) },
  'people.create': { action: 'person.created', subject: (call) => person(call.output) },
  'people.update': { action: 'person.updated', subject: (call) => person(call.input) },
  'people.import': { action: 'people.imported', subject: () => null },
  'organisations.create': { action: 'organisation.created', subject: () => null },
  'units.create': { action: 'unit.created', subject: () => null },
  'stations.create': { action: 'station.created', subject: () => null },
  'crl.import': {
    action: 'crl.imported',
    subject: (call) => {
      const issuer = (call.output as { issuer?: string } | undefined)?.issuer;
      return issuer ? { type: 'crl', id: issuer } : null;
    },
  },
};

export function auditFinishedCalls(sqlite: BetterSqlite3.Database, station: () => string): (call: FinishedCall) => void {
  return (call) => {
    const audited = AUDITED[call.procedure];
    if (!audited) return;
    const subject = audited.subject(call);
    appendAudit(sqlite, {
      station: station(),
      actor: call.session.operator ? String(call.session.operator.id) : null,
      action: audited.action,
      subjectType: subject?.type ?? null,
      subjectId: subject?.id ?? null,
      outcome: call.outcome,
    });
  };
}
