// Procedures of the retention rules (gallring): the Gallring screen's overview, a period changed within its bounds, a run by hand.
import type { Db } from '../db/data-layer';
import type { StationName } from '../organisation/station-label';
import type { Handlers } from '../router';
import { auditedBySession } from '../audit/audited-by';
import { retentionOverview, runRetention, setRetentionPeriod } from './retention';

type RetentionProcedure = Extract<keyof Handlers, `retention.${string}`>;

export function retentionHandlers(db: Db, station: StationName, now: () => Date): Pick<Handlers, RetentionProcedure> {
  return {
    'retention.overview': () => retentionOverview(db),
    'retention.setPeriod': async ({ rule, value }, context) => setRetentionPeriod(db, rule, value, await auditedBySession(context.session, station, now)),
    'retention.run': async ({ dryRun }, context) => runRetention(db, await auditedBySession(context.session, station, now), dryRun),
  };
}
