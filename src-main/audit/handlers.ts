// The audit view's procedures; an export is itself written to the trail, since it takes personal data off the station.
import type { Db } from '../db/data-layer';
import type { StationName } from '../organisation/station-label';
import type { Handlers } from '../router';
import { exportAuditTrail, queryAudit, verifyAudit } from './audit';
import { auditedBySession } from './audited-by';

export function auditHandlers(db: Db, station: StationName): Pick<Handlers, 'audit.query' | 'audit.export' | 'audit.verify'> {
  return {
    'audit.query': (request) => queryAudit(db.kysely, request),
    'audit.export': async (filters, { session }) => {
      const { csv, rows } = await exportAuditTrail(db, filters, await auditedBySession(session, station));
      return { fileName: `granskningslogg-${new Date().toISOString().slice(0, 10)}.csv`, contentBase64: Buffer.from(csv, 'utf8').toString('base64'), rows };
    },
    'audit.verify': () => verifyAudit(db),
  };
}
