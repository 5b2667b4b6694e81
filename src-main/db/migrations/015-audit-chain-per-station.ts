// One audit chain per station instead of one for the region, so stations append without queueing for each other: rows re-chained by station, heads in audit_chain.
import { sql, type Kysely } from 'kysely';
import { appendAudit } from '../../audit/audit';
import { rechainAudit } from '../../audit/rechain';
import { stationNameReader } from '../../organisation/station-label';
import { removeSetting } from '../settings';
import type { MigrationContext } from './index';
import { SINGLE_CHAIN_HEAD_SETTING, verifySingleChain } from './single-chain-trail';

export async function up(db: Kysely<unknown>, { engine, data }: MigrationContext): Promise<void> {
  await db.schema.alterTable('audit_entry').addColumn('chain', 'text').execute();
  await db.schema.createIndex('audit_entry_chain').on('audit_entry').columns(['chain', 'id']).execute();
  await db.schema
    .createTable('audit_chain')
    .addColumn('chain', 'text', (column) => column.primaryKey())
    .addColumn('head', 'text', (column) => column.notNull())
    .execute();
  // appends draw ids from the identity's sequence now; the one chain wrote them by hand, which moved no sequence
  if (engine === 'postgres') await sql`SELECT setval(pg_get_serial_sequence('audit_entry', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM audit_entry`.execute(db);
  const anyRow = await data.one('SELECT 1 AS one FROM audit_entry LIMIT 1');
  if (!anyRow) return removeSetting(data, SINGLE_CHAIN_HEAD_SETTING);
  const key = data.auditKey();
  // what the one chain said when it was split stays on record: splitting must not launder an earlier edit
  const before = await verifySingleChain(data, key);
  const { rows, chains } = await rechainAudit(data, key, (row) => row.station);
  await removeSetting(data, SINGLE_CHAIN_HEAD_SETTING);
  await appendAudit(data, {
    station: await stationNameReader(data)(),
    actor: null,
    action: 'audit.rechained',
    outcome: before.ok ? 'ok' : 'failed',
    details: { rows, chains, previousChainIntact: before.ok, previousFirstBadRow: before.firstBadRow, perStation: true },
  });
}
