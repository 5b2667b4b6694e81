// Which router calls the audit trail records and what each is about; procedures that audit themselves in their service (PINs, tokens, cards, imports, views, exports) are not here.
import type { Db } from '../db/data-layer';
import type { StationName } from '../organisation/station-label';
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

/** action name and subject for each recorded procedure. */
const AUDITED: Partial<Record<ProcedureName, { action: string; subject(call: FinishedCall): Subject }>> = {
  'people.create': { action: 'person.created', subject: (call) => person(call.output) },
  'people.update': { action: 'person.updated', subject: (call) => person(call.input) },
  'organisations.create': { action: 'organisation.created', subject: () => null },
  'units.create': { action: 'unit.created', subject: () => null },
  'units.update': { action: 'unit.updated', subject: () => null },
  'units.move': { action: 'unit.moved', subject: () => null },
  'units.close': { action: 'unit.closed', subject: () => null },
  'unitAdmins.setCanEdit': { action: 'unit-admin.can-edit-set', subject: () => null },
  'stations.create': { action: 'station.created', subject: () => null },
  'faq.save': { action: 'faq.saved', subject: () => null },
  'screenSaver.save': { action: 'screen-saver.saved', subject: () => null },
};

export function auditFinishedCalls(db: Db, station: StationName): (call: FinishedCall) => Promise<void> {
  return async (call) => {
    const audited = AUDITED[call.procedure];
    if (!audited) return;
    const subject = audited.subject(call);
    await appendAudit(db, {
      station: await station(),
      actor: call.session.operator ? String(call.session.operator.id) : null,
      action: audited.action,
      subjectType: subject?.type ?? null,
      subjectId: subject?.id ?? null,
      outcome: call.outcome,
    });
  };
}
