// Re-chains every row under a key, each into its chain in id order, and writes each chain's head: key rotation and the move to one chain per station.
import type { Db } from '../db/data-layer';
import { writeChainHead, type AuditHead } from './audit';
import { auditRowHash, GENESIS_HASH, type AuditRow } from './hash';

// read and rewritten in pages, so a long trail never sits in memory at once
const PAGE = 1000;

/** `chainOf` names each row's chain (its own chain column, or, when the chains are first split, its station). */
export async function rechainAudit(db: Db, key: Buffer, chainOf: (row: AuditRow & { chain: string | null }) => string): Promise<{ rows: number; chains: number }> {
  const heads = new Map<string, AuditHead>();
  let rows = 0;
  for (let after = 0; ; ) {
    const batch = await db.all<AuditRow & { chain: string | null }>('SELECT id, at, station, actor, action, subject_type, subject_id, outcome, details, prev_hash, chain FROM audit_entry WHERE id > ? ORDER BY id LIMIT ?', [after, PAGE]);
    for (const row of batch) {
      const chain = chainOf(row);
      const rechained: AuditRow = { ...row, prev_hash: heads.get(chain)?.hash ?? GENESIS_HASH };
      const hash = auditRowHash(key, rechained);
      await db.run('UPDATE audit_entry SET prev_hash = ?, hash = ?, chain = ? WHERE id = ?', [rechained.prev_hash, hash, chain, row.id]);
      heads.set(chain, { id: row.id, hash });
      rows++;
    }
    if (batch.length < PAGE) break;
    after = batch[batch.length - 1]!.id;
  }
  for (const [chain, head] of heads) await writeChainHead(db, key, chain, head);
  return { rows, chains: heads.size };
}
