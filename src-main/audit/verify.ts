// Proves the audit trail: walks every station's chain by id in one snapshot and names the first row changed, removed or out of place.
import type { Db } from '../db/data-layer';
import { parseHead, readChainHead, type AuditHead, type StoredAuditRow } from './audit';
import { auditRowHash, GENESIS_HASH } from './hash';

/** One station's chain: how many rows, and the first one changed, removed or out of place (null when it holds). */
export interface ChainVerification {
  chain: string;
  rows: number;
  firstBadRow: number | null;
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  /** The lowest id where a chain breaks: the changed row, or the first id after the last intact row when rows were removed. */
  firstBadRow: number | null;
  /** Each station's chain, by name. */
  chains: ChainVerification[];
}

/** Where a chain's tail and its head disagree: rows removed after the last one, added without the head, or the last rewritten. */
function firstBadRowAfterTail(head: AuditHead | null, lastId: number, lastHash: string): number | null {
  const headId = head?.id ?? 0;
  if (headId > lastId) return lastId + 1; // rows after lastId were removed
  if (headId < lastId) return headId + 1; // rows were added without moving the head
  return head && head.hash !== lastHash ? lastId : null; // the last row was rewritten with a fresh hash
}

// read in pages by id, so a million rows never sit in memory at once and neither engine needs a cursor
const VERIFY_PAGE = 5000;

interface ChainWalk {
  rows: number;
  lastId: number;
  lastHash: string;
  firstBadRow: number | null;
}

// a row of no station's chain (written around the program) is a chain of its own, which no head vouches for
const UNCHAINED = '';

/**
 * Walks every station's chain in one pass by id, in one transaction: heads and rows come from the same snapshot while
 * stations keep appending. Within a chain a removed row shows as a link that no longer holds, a changed one as its hash.
 */
export async function verifyAudit(db: Db): Promise<AuditVerification> {
  const key = db.auditKey();
  return db.transaction(async () => {
    const heads = new Map((await db.all<{ chain: string; head: string }>('SELECT chain, head FROM audit_chain')).map((row) => [row.chain, parseHead(row.head, key, row.chain)]));
    const walks = new Map<string, ChainWalk>([...heads.keys()].map((chain) => [chain, { rows: 0, lastId: 0, lastHash: GENESIS_HASH, firstBadRow: null }]));
    let rows = 0;
    for (let after = 0; ; ) {
      const page = await db.all<StoredAuditRow>(
        'SELECT id, at, station, actor, action, subject_type, subject_id, outcome, details, prev_hash, hash, chain FROM audit_entry WHERE id > ? ORDER BY id LIMIT ?',
        [after, VERIFY_PAGE],
      );
      for (const row of page) {
        rows++;
        const chain = row.chain ?? UNCHAINED;
        let walk = walks.get(chain);
        if (!walk) walks.set(chain, (walk = { rows: 0, lastId: 0, lastHash: GENESIS_HASH, firstBadRow: null }));
        walk.rows++;
        if (walk.firstBadRow === null && chain === UNCHAINED) walk.firstBadRow = row.id;
        else if (walk.firstBadRow === null) {
          const ownHashHolds = auditRowHash(key, row) === row.hash;
          // a row whose own hash holds but whose link does not follows removed rows; one whose hash fails was changed
          if (!ownHashHolds) walk.firstBadRow = row.id;
          else if (row.prev_hash !== walk.lastHash) walk.firstBadRow = walk.lastId + 1;
        }
        walk.lastId = row.id;
        walk.lastHash = row.hash;
      }
      if (page.length < VERIFY_PAGE) break;
      after = page[page.length - 1]!.id;
    }
    const chains = [...walks].map(([chain, walk]): ChainVerification => ({
      chain,
      rows: walk.rows,
      firstBadRow: walk.firstBadRow ?? firstBadRowAfterTail(heads.get(chain) ?? null, walk.lastId, walk.lastHash),
    }));
    chains.sort((a, b) => a.chain.localeCompare(b.chain, 'sv'));
    const bad = chains.map((chain) => chain.firstBadRow).filter((row): row is number => row !== null);
    return { ok: bad.length === 0, rows, firstBadRow: bad.length === 0 ? null : Math.min(...bad), chains };
  });
}


/** A station's chain head after checking its MAC and its row: what an anchor may certify. Null when the head cannot be trusted. */
export async function trustedAuditHead(db: Db, chain: string): Promise<(AuditHead & { at: string | null }) | null> {
  const key = db.auditKey();
  return db.transaction(async () => {
    const stored = await readChainHead(db, chain);
    if (stored === undefined) {
      const anyRow = await db.one('SELECT 1 AS one FROM audit_entry WHERE chain = ? LIMIT 1', [chain]);
      return anyRow ? null : { id: 0, hash: GENESIS_HASH, at: null };
    }
    const head = parseHead(stored, key, chain);
    if (!head) return null;
    const row = await db.one<StoredAuditRow>('SELECT * FROM audit_entry WHERE id = ?', [head.id]);
    if (!row || row.chain !== chain || row.hash !== head.hash || auditRowHash(key, row) !== row.hash) return null;
    return { ...head, at: row.at };
  });
}
