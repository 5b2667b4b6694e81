// The audit view's procedures; an export is itself written to the trail, since it takes personal data off the station.
import type { Db } from '../db/data-layer';
import type { StationName } from '../organisation/station-label';
import type { Handlers } from '../router';
import { exportAuditTrail, queryAudit } from './read';
import { verifyAudit } from './verify';
import { auditedBySession } from './audited-by';
import type { WorkJobs } from '../work/jobs';

export function auditHandlers(db: Db, station: StationName, work: WorkJobs): Pick<Handlers, 'audit.query' | 'audit.export' | 'audit.verify'> {
  return {
    'audit.query': (request) => queryAudit(db.kysely, request),
    'audit.export': async ({ jobId, ...filters }, { session }) => {
      const by = await auditedBySession(session, station);
      const { csv, rows } = await work.run(session.id, jobId, (progress) => exportAuditTrail(db, filters, by, progress));
      return { fileName: `granskningslogg-${new Date().toISOString().slice(0, 10)}.csv`, contentBase64: Buffer.from(csv, 'utf8').toString('base64'), rows };
    },
    'audit.verify': () => verifyAudit(db),
  };
}
