// The audit trail: each station's chain of rows, appended inside the caller's transaction; verify.ts proves it, read.ts shows and exports it.
import type { Db } from '../db/data-layer';
import { readSetting, writeSetting } from '../db/settings';
import { auditHeadMac, auditKeyId, auditRowHash, GENESIS_HASH, type AuditRow } from './hash';
import { AuditKeyError } from './key';

export type AuditOutcome = 'ok' | 'refused' | 'failed';
export type AuditSubjectType = 'person' | 'card' | 'token' | 'reader' | 'crl';
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type AuditDetails = { [key: string]: JsonValue };

export interface NewAuditEntry {
  station: string;
  /** Staff account id or username; null when the kiosk acted on its own, e.g. an unattended card test. */
  actor: string | null;
  /** A dotted code: 'pin.changed', 'card.tested', 'person.viewed'. */
  action: string;
  subjectType?: AuditSubjectType | null;
  subjectId?: string | null;
  outcome: AuditOutcome;
  /** Non-secret facts only; keys that name a PIN, PUK, code, OTP, seed, secret or password are refused. */
  details?: AuditDetails | null;
  at?: Date;
}

export interface AuditEntry {
  id: number;
  at: string;
  station: string;
  actor: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  outcome: string;
  details: AuditDetails | null;
  hash: string;
}

export class AuditInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditInputError';
  }
}

/** Which key the trail is chained under (a fingerprint, not the key). */
export const AUDIT_KEY_ID_SETTING = 'audit.key-id';

export interface AuditHead {
  id: number;
  hash: string;
}

const ACTION_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const SECRET_WORDS = new Set(['pin', 'pins', 'puk', 'puks', 'code', 'codes', 'otp', 'otps', 'seed', 'seeds', 'secret', 'secrets', 'password', 'passwords', 'passwd', 'passcode', 'pincode', 'pukcode', 'otpcode']);

/** newPin, PINCode, otp_code, seed-hex → their words, so a secret can't hide inside a compound key. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
}

// the detail keys are the program's own few names, checked at every append: each is split into words once
const CLEARED_KEYS_KEPT = 1000;
const clearedKeys = new Set<string>();

function namesSecret(key: string): boolean {
  if (clearedKeys.has(key)) return false;
  if (keyWords(key).some((word) => SECRET_WORDS.has(word))) return true;
  if (clearedKeys.size < CLEARED_KEYS_KEPT) clearedKeys.add(key);
  return false;
}

function refuseSecretKeys(value: JsonValue, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => refuseSecretKeys(item, `${path}${index}.`));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (namesSecret(key)) {
        throw new AuditInputError(`Audit details must not hold secrets: refused the key "${path}${key}".`);
      }
      refuseSecretKeys(inner, `${path}${key}.`);
    }
  }
}

function storedDetails(entry: NewAuditEntry): string | null {
  if (entry.details == null) return null;
  refuseSecretKeys(entry.details, '');
  return JSON.stringify(entry.details);
}

function checkEntry(entry: NewAuditEntry): void {
  if (!ACTION_PATTERN.test(entry.action)) throw new AuditInputError(`"${entry.action}" is not a dotted action code like "pin.changed".`);
  if ((entry.subjectType == null) !== (entry.subjectId == null)) throw new AuditInputError('An audit subject needs both a type and an id.');
}

/** The stored head, or null when it is missing, unreadable or its MAC does not hold under this key and chain. */
export function parseHead(value: string | undefined, key: Buffer, chain: string): AuditHead | null {
  if (value === undefined) return null;
  try {
    const head = JSON.parse(value) as Partial<AuditHead & { mac: string }>;
    if (!Number.isInteger(head.id) || typeof head.hash !== 'string') return null;
    return head.mac === auditHeadMac(key, chain, head.id!, head.hash) ? { id: head.id!, hash: head.hash } : null;
  } catch {
    return null;
  }
}

export function chainHeadValue(key: Buffer, chain: string, head: AuditHead): string {
  return JSON.stringify({ id: head.id, hash: head.hash, mac: auditHeadMac(key, chain, head.id, head.hash) });
}

/**
 * Moves a chain's head; the first append of a station makes its row. An update first: it writes no index entry, where an
 * insert would, and on PostgreSQL an index entry conflicts with every station that read its own head from the same page.
 */
export async function writeChainHead(db: Db, key: Buffer, chain: string, head: AuditHead): Promise<void> {
  const value = chainHeadValue(key, chain, head);
  if ((await db.run('UPDATE audit_chain SET head = ? WHERE chain = ?', [value, chain])) > 0) return;
  await db.run('INSERT INTO audit_chain (chain, head) VALUES (?, ?) ON CONFLICT (chain) DO UPDATE SET head = excluded.head', [chain, value]);
}

export const readChainHead = (db: Db, chain: string): Promise<string | undefined> => db.value<string>('SELECT head FROM audit_chain WHERE chain = ?', [chain]);

export type StoredAuditRow = AuditRow & { hash: string; chain: string | null };

// a CLI run with another station's key would chain rows nobody can verify: refuse before writing any; asked at every
// append, not remembered, since another station may have rotated the region's key since the last one
async function checkKeyId(db: Db, key: Buffer, stored: string | undefined): Promise<void> {
  if (stored === undefined) await writeSetting(db, AUDIT_KEY_ID_SETTING, auditKeyId(key));
  else if (stored !== auditKeyId(key)) throw new AuditKeyError('The audit trail of this database is chained under another key than the one this program holds; nothing was written.');
}

/** What an append reads before it writes: the key's fingerprint, the chain's head (locked) and the next id. */
interface ChainTip {
  keyId: string | undefined;
  head: string | undefined;
  nextId: number;
}

// the heads fit in one page, so PostgreSQL would scan the whole table, and a serializable scan of the table conflicts
// with every other station's head write; read and written through the primary key, each station locks only its own row
const INDEX_SCANS_ONLY = "SELECT set_config('enable_seqscan', 'off', true)";
const TABLE_SCANS_AGAIN = "set_config('enable_seqscan', 'on', true)";

async function readChainTip(db: Db, chain: string): Promise<ChainTip> {
  if (db.engine === 'sqlite') return { keyId: await readSetting(db, AUDIT_KEY_ID_SETTING), head: await readChainHead(db, chain), nextId: await nextAuditId(db) };
  // row-locked (READ COMMITTED) work takes no predicate locks: any scan will do, and a round trip is saved
  if (!db.inRowLockedTransaction()) await db.value(INDEX_SCANS_ONLY);
  // one round trip; FOR UPDATE: a head another transaction of this station moved after this one's snapshot is a
  // serialization failure (retried), or under row locks the newest head, never a stale head whose successor is taken
  const tip = await db.one<{ key_id: string | null; head: string | null; next_id: number }>(
    `SELECT (SELECT value FROM setting WHERE key = ?) AS key_id, (SELECT head FROM audit_chain WHERE chain = ? FOR UPDATE) AS head,
            nextval(pg_get_serial_sequence('audit_entry', 'id')) AS next_id`,
    [AUDIT_KEY_ID_SETTING, chain],
  );
  return { keyId: tip!.key_id ?? undefined, head: tip!.head ?? undefined, nextId: Number(tip!.next_id) };
}

/** The row and its chain's new head; on PostgreSQL in one statement, which also lets table scans back in. */
async function appendChained(db: Db, key: Buffer, chain: string, content: Omit<AuditRow, 'id' | 'prev_hash'>, id: number, after: AuditHead): Promise<StoredAuditRow> {
  if (db.engine === 'sqlite') {
    const stored = await insertChained(db, key, chain, content, id, after);
    await writeChainHead(db, key, chain, stored);
    return stored;
  }
  const stored = chainedRow(key, chain, content, id, after);
  const moved = await db.all(
    `WITH appended AS (INSERT INTO audit_entry (id, at, station, actor, action, subject_type, subject_id, outcome, details, prev_hash, hash, chain)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))
     UPDATE audit_chain SET head = ? WHERE chain = ? RETURNING ${TABLE_SCANS_AGAIN}`,
    [...rowValues(stored), chainHeadValue(key, chain, stored), chain],
  );
  if (moved.length === 0) {
    // the station's first row: its head is new
    await writeChainHead(db, key, chain, stored);
    await db.value(`SELECT ${TABLE_SCANS_AGAIN}`);
  }
  return stored;
}

/** The next row id: the hash covers it, so it is drawn before the row is written (PostgreSQL's identity sequence; SQLite's is taken under its one writer's lock). */
export async function nextAuditId(db: Db): Promise<number> {
  const next =
    db.engine === 'postgres'
      ? await db.value<number>("SELECT nextval(pg_get_serial_sequence('audit_entry', 'id'))")
      : await db.value<number>("SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_entry'), 0), COALESCE((SELECT max(id) FROM audit_entry), 0)) + 1");
  return Number(next);
}

function chainedRow(key: Buffer, chain: string, content: Omit<AuditRow, 'id' | 'prev_hash'>, id: number, after: AuditHead): StoredAuditRow {
  const row: AuditRow = { ...content, id, prev_hash: after.hash };
  return { ...row, hash: auditRowHash(key, row), chain };
}

const rowValues = (row: StoredAuditRow) => [row.id, row.at, row.station, row.actor, row.action, row.subject_type, row.subject_id, row.outcome, row.details, row.prev_hash, row.hash, row.chain];

/** Writes one row after `after` in `chain`, under the id it is given. */
export async function insertChained(db: Db, key: Buffer, chain: string, content: Omit<AuditRow, 'id' | 'prev_hash'>, id: number, after: AuditHead): Promise<StoredAuditRow> {
  const stored = chainedRow(key, chain, content, id, after);
  await db.run(
    `INSERT INTO audit_entry (id, at, station, actor, action, subject_type, subject_id, outcome, details, prev_hash, hash, chain)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    rowValues(stored),
  );
  return stored;
}

/** A chain's tip as a plain read saw it, unlocked: the key's fingerprint, the head, and an id drawn for the next row. */
export interface SeenTip {
  keyId: string | null;
  head: string | null;
  nextId: number;
}

/**
 * Columns that read the station's chain tip as part of a caller's own query (PostgreSQL), so that the change read for and
 * its audit row can then be written in one statement (`appendAfterSeenTip`). An id drawn and never used is a gap in the
 * ids, which the trail allows as it allows a rolled-back append's.
 */
export function seenTipColumns(chain: string): { sql: string; params: string[] } {
  return {
    sql: "(SELECT value FROM setting WHERE key = ?) AS audit_key_id, (SELECT head FROM audit_chain WHERE chain = ?) AS audit_head, nextval(pg_get_serial_sequence('audit_entry', 'id')) AS audit_next_id",
    params: [AUDIT_KEY_ID_SETTING, chain],
  };
}

/** An append as two parts of the caller's data-modifying statement; `condition` and `source` are SQL without parameters. */
export interface AppendAfterTip {
  /** An UPDATE … RETURNING that moves the head only if the chain is still at the seen tip, under this program's key, and `condition` holds. */
  moveHead(condition: string): { sql: string; params: unknown[] };
  /** An INSERT … SELECT that writes the row once for each row of `source`. */
  insertRow(source: string): { sql: string; params: unknown[] };
}

/**
 * The entry as the row that follows the seen tip; undefined when only `appendAudit` will do (no trustworthy head yet,
 * another key). The caller's statement must write its change only where `moveHead` moved the head, and the row only
 * where the change was written: then a chain another append moved meanwhile leaves the whole statement unwritten.
 */
export function appendAfterSeenTip(db: Db, entry: NewAuditEntry, tip: SeenTip): AppendAfterTip | undefined {
  checkEntry(entry);
  const key = db.auditKey();
  const chain = entry.station;
  const head = tip.keyId === auditKeyId(key) ? parseHead(tip.head ?? undefined, key, chain) : null;
  if (!head) return undefined;
  const stored = chainedRow(key, chain, auditContent(entry), tip.nextId, head);
  return {
    moveHead: (condition) => ({
      sql: `UPDATE audit_chain SET head = ? WHERE chain = ? AND head = ? AND EXISTS (SELECT 1 FROM setting WHERE key = ? AND value = ?) AND ${condition} RETURNING chain`,
      params: [chainHeadValue(key, chain, stored), chain, tip.head, AUDIT_KEY_ID_SETTING, tip.keyId],
    }),
    insertRow: (source) => ({
      sql: `INSERT INTO audit_entry (id, at, station, actor, action, subject_type, subject_id, outcome, details, prev_hash, hash, chain)
            SELECT ?::bigint, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text FROM ${source}`,
      params: rowValues(stored),
    }),
  };
}

function auditContent(entry: NewAuditEntry): Omit<AuditRow, 'id' | 'prev_hash'> {
  return {
    at: (entry.at ?? new Date()).toISOString(),
    station: entry.station,
    actor: entry.actor,
    action: entry.action,
    subject_type: entry.subjectType ?? null,
    subject_id: entry.subjectId ?? null,
    outcome: entry.outcome,
    details: storedDetails(entry),
  };
}

/**
 * Appends one entry to its station's chain inside the caller's transaction (or its own), so the entry and the change it
 * records are written together or not at all. Each station keeps its own chain, so stations append without waiting for
 * one another; the head's row is locked (FOR UPDATE), which orders only the appends of one station. Ids come from one
 * sequence for the whole region, so the trail still reads in one order.
 */
export async function appendAudit(db: Db, entry: NewAuditEntry): Promise<AuditEntry> {
  checkEntry(entry);
  const chain = entry.station;
  const content = auditContent(entry);
  const stored = await db.transaction(async () => {
    const key = db.auditKey();
    const tip = await readChainTip(db, chain);
    await checkKeyId(db, key, tip.keyId);
    let head = parseHead(tip.head, key, chain);
    let id = tip.nextId;
    const last = head ? undefined : await db.one<AuditHead>('SELECT id, hash FROM audit_entry WHERE chain = ? ORDER BY id DESC LIMIT 1', [chain]);
    // rows but no trustworthy head: someone removed or forged it; keep the station working and say so in the trail itself
    if (last) {
      const lost = { ...content, action: 'audit.head-lost', subject_type: null, subject_id: null, outcome: 'failed', details: JSON.stringify({ lastId: last.id, head: tip.head === undefined ? 'missing' : 'invalid' }) };
      head = await insertChained(db, key, chain, lost, id, last);
      id = await nextAuditId(db);
    }
    return appendChained(db, key, chain, content, id, head ?? { id: 0, hash: GENESIS_HASH });
    // on its own (a view, a login, a finished call) an append decides only on its chain's head, which it locks: many
    // sessions of one portal on one chain then queue for the head instead of failing on it and starting over
  }, { rowLocks: true });
  return toAuditEntry(stored);
}

/** False when the trail was chained under another key than this program's, e.g. the kiosk's sealed key versus a CLI's key file. */
export async function auditKeyMatches(db: Db): Promise<boolean> {
  const stored = await readSetting(db, AUDIT_KEY_ID_SETTING);
  return stored === undefined || stored === auditKeyId(db.auditKey());
}

export function toAuditEntry(row: StoredAuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    station: row.station,
    actor: row.actor,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    outcome: row.outcome,
    details: row.details === null ? null : (JSON.parse(row.details) as AuditDetails),
    hash: row.hash,
  };
}
