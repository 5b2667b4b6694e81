// The trail as one chain for the whole register (migrations 010–014), frozen here so 010 still runs and 015 can check it after the live trail moved to one chain per station.
import { createHmac } from 'node:crypto';
import type { Db } from '../data-layer';
import { auditRowHash, GENESIS_HASH, type AuditRow } from '../../audit/hash';
import { readSetting, writeSetting } from '../settings';

/** The setting that held the one chain's head. */
export const SINGLE_CHAIN_HEAD_SETTING = 'audit.head';

type StoredRow = AuditRow & { hash: string };
interface Head {
  id: number;
  hash: string;
}

const headMac = (key: Buffer, head: Head): string => createHmac('sha256', key).update(JSON.stringify(['audit.head', head.id, head.hash]), 'utf8').digest('hex');

export const singleChainHeadValue = (key: Buffer, head: Head): string => JSON.stringify({ id: head.id, hash: head.hash, mac: headMac(key, head) });

function trustedHead(value: string | undefined, key: Buffer): Head | null {
  if (value === undefined) return null;
  try {
    const head = JSON.parse(value) as Partial<Head & { mac: string }>;
    if (!Number.isInteger(head.id) || typeof head.hash !== 'string') return null;
    return head.mac === headMac(key, head as Head) ? { id: head.id!, hash: head.hash } : null;
  } catch {
    return null;
  }
}

/** One row after the stored head, as the trail was appended to then. */
export async function appendToSingleChain(data: Db, key: Buffer, content: Omit<AuditRow, 'id' | 'prev_hash'>): Promise<void> {
  const head = trustedHead(await readSetting(data, SINGLE_CHAIN_HEAD_SETTING), key) ?? { id: 0, hash: GENESIS_HASH };
  const row: AuditRow = { ...content, id: head.id + 1, prev_hash: head.hash };
  const hash = auditRowHash(key, row);
  await data.run(
    `INSERT INTO audit_entry (id, at, station, actor, action, subject_type, subject_id, outcome, details, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [row.id, row.at, row.station, row.actor, row.action, row.subject_type, row.subject_id, row.outcome, row.details, row.prev_hash, hash],
  );
  await writeSetting(data, SINGLE_CHAIN_HEAD_SETTING, singleChainHeadValue(key, { id: row.id, hash }));
}

const PAGE = 5000;

/** The one chain's check: ids from 1 without a gap, each row's hash and link, and the head at the last row. */
export async function verifySingleChain(data: Db, key: Buffer): Promise<{ ok: boolean; rows: number; firstBadRow: number | null }> {
  const head = trustedHead(await readSetting(data, SINGLE_CHAIN_HEAD_SETTING), key);
  let rows = 0;
  let last: Head = { id: 0, hash: GENESIS_HASH };
  let firstBadRow: number | null = null;
  for (;;) {
    const batch = await data.all<StoredRow>('SELECT id, at, station, actor, action, subject_type, subject_id, outcome, details, prev_hash, hash FROM audit_entry WHERE id > ? ORDER BY id LIMIT ?', [last.id, PAGE]);
    for (const row of batch) {
      rows++;
      if (firstBadRow === null && row.id !== last.id + 1) firstBadRow = last.id + 1;
      else if (firstBadRow === null && (row.prev_hash !== last.hash || auditRowHash(key, row) !== row.hash)) firstBadRow = row.id;
      last = { id: row.id, hash: row.hash };
    }
    if (batch.length < PAGE) break;
  }
  const headId = head?.id ?? 0;
  if (firstBadRow === null && headId !== last.id) firstBadRow = Math.min(headId, last.id) + 1;
  else if (firstBadRow === null && head && head.hash !== last.hash) firstBadRow = last.id;
  return { ok: firstBadRow === null, rows, firstBadRow };
}
