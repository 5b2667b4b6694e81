// The audit view's procedures; an export is itself written to the trail, since it takes personal data off the station.
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Handlers } from '../router';
import { exportAuditTrail, queryAudit, verifyAudit } from './audit';
import { auditedBySession } from './audited-by';

export function auditHandlers(database: { sqlite: BetterSqlite3.Database; db: Kysely<Database> }, station: () => string): Pick<Handlers, 'audit.query' | 'audit.export' | 'audit.verify'> {
  return {
    'audit.query': (request) => queryAudit(database.db, request),
    'audit.export': async (filters, { session }) => {
      const { csv, rows } = await exportAuditTrail(database, filters, auditedBySession(session, station));
      return { fileName: `granskningslogg-${new Date().toISOString().slice(0, 10)}.csv`, contentBase64: Buffer.from(csv, 'utf8').toString('base64'), rows };
    },
    'audit.verify': () => verifyAudit(database.sqlite),
  };
}
