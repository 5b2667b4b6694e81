// Who an audited change is by: the logged-in staff member through the router, or the CLI's own identity; the same rows either way.
import type { StationName } from '../organisation/station-label';
import type { Session } from '../router';

export interface AuditedBy {
  /** Staff account id through the router; "cli:<user>" from the CLI; null when the kiosk acted on its own. */
  actor: string | null;
  station: string;
  now: Date;
}

export async function auditedBySession(session: Session, station: StationName, now: () => Date = () => new Date()): Promise<AuditedBy> {
  return { actor: session.operator ? String(session.operator.id) : null, station: await station(), now: now() };
}
