// Moves the audit trail to the keyed chain: every row re-chained under the audit key, after checking the unkeyed chain it replaces.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { auditKeyId, auditRowHash, canonicalAuditRow, GENESIS_HASH, type AuditRow } from '../../audit/hash';
import { AUDIT_KEY_ID_SETTING } from '../../audit/audit';
import { stationNameReader } from '../../organisation/station-label';
import { readSetting, writeSetting } from '../settings';
import type { MigrationContext } from './index';
import { appendToSingleChain, SINGLE_CHAIN_HEAD_SETTING, singleChainHeadValue } from './single-chain-trail';

type StoredRow = AuditRow & { hash: string };

// read and rewritten in pages, so a long trail never sits in memory at once
const PAGE = 1000;

/** The chain as 003-audit wrote it: plain SHA-256, which anyone could recompute. */
const unkeyedHash = (row: AuditRow): string => createHash('sha256').update(canonicalAuditRow(row), 'utf8').digest('hex');

export async function up(db: Kysely<unknown>, context: MigrationContext): Promise<void> {
  if (context.engine === 'postgres') return refuseUnkeyedRows(db);
  const { data } = context;
  const oldHead = await readSetting(data, SINGLE_CHAIN_HEAD_SETTING);
  let rows = 0;
  let oldLast = { id: 0, hash: GENESIS_HASH };
  let oldFirstBadRow: number | null = null;
  let newHash = GENESIS_HASH;
  let key: Buffer | undefined;
  for (;;) {
    const batch = await data.all<StoredRow>('SELECT * FROM audit_entry WHERE id > ? ORDER BY id LIMIT ?', [oldLast.id, PAGE]);
    if (batch.length === 0) break;
    // a fresh station has no rows and so never needs the key here
    key ??= data.auditKey();
    for (const row of batch) {
      rows++;
      if (oldFirstBadRow === null && (row.id !== oldLast.id + 1 || row.prev_hash !== oldLast.hash || unkeyedHash(row) !== row.hash)) oldFirstBadRow = row.id === oldLast.id + 1 ? row.id : oldLast.id + 1;
      oldLast = { id: row.id, hash: row.hash };
      const rechained: AuditRow = { ...row, prev_hash: newHash };
      newHash = auditRowHash(key, rechained);
      await data.run('UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE id = ?', [rechained.prev_hash, newHash, row.id]);
    }
  }
  if (!key) return;
  const headHeld = oldHead === JSON.stringify(oldLast);
  if (oldFirstBadRow === null && !headHeld) oldFirstBadRow = oldLast.id + 1;
  await writeSetting(data, AUDIT_KEY_ID_SETTING, auditKeyId(key));
  await writeSetting(data, SINGLE_CHAIN_HEAD_SETTING, singleChainHeadValue(key, { id: oldLast.id, hash: newHash }));
  // what the unkeyed chain said at the moment it was replaced stays on record: re-chaining must not launder an earlier edit
  await appendToSingleChain(data, key, {
    at: new Date().toISOString(),
    station: await stationNameReader(data)(),
    actor: null,
    action: 'audit.rechained',
    subject_type: null,
    subject_id: null,
    outcome: oldFirstBadRow === null ? 'ok' : 'failed',
    details: JSON.stringify({ rows, previousChainIntact: oldFirstBadRow === null, previousFirstBadRow: oldFirstBadRow }),
  });
}

/** A region database is born keyed: no service wrote the unkeyed chain there, so rows here came from outside Kortstation. */
async function refuseUnkeyedRows(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ entries: number }>`SELECT COUNT(*) AS entries FROM audit_entry`.execute(db);
  if (rows[0]!.entries > 0) throw new Error('audit_entry already holds rows that no Kortstation chained; re-chaining them on PostgreSQL is not supported');
}
