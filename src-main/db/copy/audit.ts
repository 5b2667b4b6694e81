// The station's audit trail appended to the region's chain: one 'station.copied' row naming the station's head, then its rows as they were, re-chained.
import { appendAudit, insertChained, nextAuditId, writeChainHead, type AuditHead } from '../../audit/audit';
import { verifyAudit } from '../../audit/verify';
import type { AuditRow } from '../../audit/hash';
import type { Db } from '../data-layer';

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
 * Appends inside the caller's transaction, to the chain of the station that copies. Rows keep their content (time,
 * station, actor, action, subject, outcome, details text) and get the region's ids and hashes: that chain then verifies as
 * one, and the station's own trail is still provable from them, since its rows are the ones after the 'station.copied' row
 * in that chain, in order. Subject ids and ids in details stay the station's own (the station column says whose):
 * translating them would change the rows and break that proof.
 */
export async function appendStationTrail(source: Db, target: Db, by: CopiedBy, summary: Record<string, number>): Promise<number> {
  const head = await stationHead(source);
  const rows = Number(await source.value<number>('SELECT COUNT(*) FROM audit_entry'));
  // appendAudit locks the copying station's chain head to the end of the transaction, so nothing interleaves with the rows below
  const copied = await appendAudit(target, { station: by.station, actor: by.actor, action: COPIED_ACTION, outcome: 'ok', details: { ...summary, auditRows: rows, stationHead: head ? { id: head.id, hash: head.hash } : null }, at: by.now });
  const key = target.auditKey();
  let after: AuditHead = { id: copied.id, hash: copied.hash };
  for (let last = 0; ; ) {
    const page = await source.all<StoredRow>('SELECT id, at, station, actor, action, subject_type, subject_id, outcome, details, prev_hash, hash FROM audit_entry WHERE id > ? ORDER BY id LIMIT ?', [last, PAGE]);
    for (const row of page) {
      const { at, station, actor, action, subject_type, subject_id, outcome, details } = row;
      const chained = await insertChained(target, key, by.station, { at, station, actor, action, subject_type, subject_id, outcome, details }, await nextAuditId(target), after);
      after = { id: chained.id, hash: chained.hash };
    }
    if (page.length < PAGE) break;
    last = page[page.length - 1]!.id;
  }
  await writeChainHead(target, key, by.station, after);
  return rows;
}
