// Anchors: the trail's head (row id, hash, time, station) under the audit key's MAC, kept off the station so a later rewrite shows.
import type { Db } from '../db/data-layer';
import { auditAnchorMac, GENESIS_HASH, type AnchorFields } from './hash';
import { trustedAuditHead, verifyAudit, type AuditVerification } from './verify';

export const ANCHOR_FORMAT = 'kortstation-audit-anchor/1';

export interface AuditAnchor extends AnchorFields {
  format: typeof ANCHOR_FORMAT;
  mac: string;
}

export type AnchorProblem =
  /** the anchor's MAC does not hold: the file was edited, or it belongs to another station's key */
  | 'anchor-forged'
  /** the anchored row is no longer in the trail */
  | 'row-missing'
  /** the anchored row's hash differs: a row up to it was changed, removed, added or reordered */
  | 'row-changed'
  /** the chain breaks at or before the anchored row */
  | 'chain-broken';

export interface AnchoredVerification extends AuditVerification {
  anchor: { rowId: number; problem: AnchorProblem | null };
}

export class AuditAnchorError extends Error {
  constructor(readonly code: 'anchor-unreadable' | 'head-untrusted', message: string) {
    super(message);
    this.name = 'AuditAnchorError';
  }
}

/** The station's chain head as it is now, MACed; refused when the head itself does not verify, since that would certify a forgery. */
export async function createAnchor(db: Db, station: string, now: Date): Promise<AuditAnchor> {
  const head = await trustedAuditHead(db, station);
  if (!head) throw new AuditAnchorError('head-untrusted', 'The audit trail\'s head does not verify; run "audit verify" and find out what changed before anchoring.');
  const fields: AnchorFields = { rowId: head.id, hash: head.hash, rowAt: head.at, station, anchoredAt: now.toISOString() };
  return { format: ANCHOR_FORMAT, ...fields, mac: auditAnchorMac(db.auditKey(), fields) };
}

/** One line of JSON, so the anchor survives being pasted into or saved from an e-mail. */
export function anchorText(anchor: AuditAnchor): string {
  const { format, rowId, hash, rowAt, station, anchoredAt, mac } = anchor;
  return JSON.stringify({ format, rowId, hash, rowAt, station, anchoredAt, mac });
}

function asAnchor(value: unknown): AuditAnchor | null {
  const anchor = value as Partial<AuditAnchor> | null;
  if (anchor === null || typeof anchor !== 'object' || anchor.format !== ANCHOR_FORMAT) return null;
  const fieldsOk =
    Number.isInteger(anchor.rowId) && anchor.rowId! >= 0 && typeof anchor.hash === 'string' && (anchor.rowAt === null || typeof anchor.rowAt === 'string') &&
    typeof anchor.station === 'string' && typeof anchor.anchoredAt === 'string' && typeof anchor.mac === 'string';
  return fieldsOk ? (anchor as AuditAnchor) : null;
}

/** Reads an anchor file, or a saved e-mail that holds one on a line of its own. */
export function parseAnchor(text: string): AuditAnchor {
  for (const candidate of [text, ...text.split(/\r?\n/)]) {
    const trimmed = candidate.trim();
    if (!trimmed.startsWith('{')) continue;
    try {
      const anchor = asAnchor(JSON.parse(trimmed));
      if (anchor) return anchor;
    } catch {
      // not this line; the anchor may be further down
    }
  }
  throw new AuditAnchorError('anchor-unreadable', `The file holds no audit anchor (${ANCHOR_FORMAT}).`);
}

/** Every chain as verifyAudit checks it, and whether the anchored station's chain up to the anchor is as it was when the anchor was made. */
export async function verifyAgainstAnchor(db: Db, anchor: AuditAnchor): Promise<AnchoredVerification> {
  const result = await verifyAudit(db);
  const anchorProblem = async (): Promise<AnchorProblem | null> => {
    if (auditAnchorMac(db.auditKey(), anchor) !== anchor.mac) return 'anchor-forged';
    const firstBadRow = result.chains.find((chain) => chain.chain === anchor.station)?.firstBadRow ?? null;
    if (firstBadRow !== null && firstBadRow <= anchor.rowId) return 'chain-broken';
    if (anchor.rowId === 0) return anchor.hash === GENESIS_HASH ? null : 'row-changed';
    const row = await db.one<{ hash: string; chain: string | null }>('SELECT hash, chain FROM audit_entry WHERE id = ?', [anchor.rowId]);
    if (row === undefined) return 'row-missing';
    return row.hash === anchor.hash && row.chain === anchor.station ? null : 'row-changed';
  };
  const problem = await anchorProblem();
  return { ...result, ok: result.ok && problem === null, anchor: { rowId: anchor.rowId, problem } };
}
