// The station's audit trail appended to the region's chain: one 'station.copied' row naming the station's head, then its rows as they were, re-chained.
import { appendAudit, AUDIT_HEAD_SETTING, headSettingValue, verifyAudit, type AuditHead } from '../../audit/audit';
import { auditRowHash, type AuditRow } from '../../audit/hash';
import type { Db } from '../data-layer';
import { writeSetting } from '../settings';

export const COPIED_ACTION = 'station.copied';

/** Who runs the copy, as the trail names them. */
export interface CopiedBy {
  station: string;
  actor: string;
  now: Date;
}

type StoredRow = AuditRow & { hash: string };

const PAGE = 5000;

/** The station's last row, which the region's 'station.copied' row records so the station's own chain stays provable. */
export async function stationHead(source: Db): Promise<AuditHead | null> {
  return (await source.one<AuditHead>('SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1')) ?? null;
}

/** A station whose trail was changed must not have it laundered into the region's chain under fresh hashes. */
export async function stationTrailIntact(source: Db): Promise<boolean> {
  return (await verifyAudit(source)).ok;
}

/** Whether this station's trail, up to its head, is already in the region: a second copy would double its orders and rows. */
export async function alreadyCopied(target: Db, head: AuditHead): Promise<boolean> {
  const marker = `%"stationHead":${JSON.stringify(head)}%`;
  return (await target.one('SELECT 1 AS one FROM audit_entry WHERE action = ? AND details LIKE ?', [COPIED_ACTION, marker])) !== undefined;
}

/**
 * Appends inside the caller's transaction. Rows keep their content (time, station, actor, action, subject, outcome, details
 * text) and get the region's ids and hashes: the region's chain then verifies as one, and the station's own chain is still
 * provable from them, since its row k is the k-th row after the 'station.copied' row with id k and the chain recomputed from
 * the genesis hash must end in the stationHead that row records. Subject ids and ids in details stay the station's own (the
 * station column says whose): translating them would change the rows and break that proof.
 */
export async function appendStationTrail(source: Db, target: Db, by: CopiedBy, summary: Record<string, number>): Promise<number> {
  const head = await stationHead(source);
  // ids run from 1 without a gap in a trail that verifies, so the head's id is the count
  const rows = head?.id ?? 0;
  // appendAudit takes the region's append lock, held to the end of the transaction, so nothing interleaves with the rows below
  const copied = await appendAudit(target, { station: by.station, actor: by.actor, action: COPIED_ACTION, outcome: 'ok', details: { ...summary, auditRows: rows, stationHead: head ? { id: head.id, hash: head.hash } : null }, at: by.now });
  const key = target.auditKey();
  let after: AuditHead = { id: copied.id, hash: copied.hash };
  for (let last = 0; ; ) {
    const page = await source.all<StoredRow>('SELECT id, at, station, actor, action, subject_type, subject_id, outcome, details, prev_hash, hash FROM audit_entry WHERE id > ? ORDER BY id LIMIT ?', [last, PAGE]);
    for (const row of page) {
      const chained: AuditRow = { ...row, id: after.id + 1, prev_hash: after.hash };
      const hash = auditRowHash(key, chained);
      await target.run(
        `INSERT INTO audit_entry (id, at, station, actor, action, subject_type, subject_id, outcome, details, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [chained.id, chained.at, chained.station, chained.actor, chained.action, chained.subject_type, chained.subject_id, chained.outcome, chained.details, chained.prev_hash, hash],
      );
      after = { id: chained.id, hash };
    }
    if (page.length < PAGE) break;
    last = page[page.length - 1]!.id;
  }
  await writeSetting(target, AUDIT_HEAD_SETTING, headSettingValue(key, after));
  return rows;
}
