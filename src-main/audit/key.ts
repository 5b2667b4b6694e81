// The audit key: derived from the station's data key (key file or safeStorage), held in memory per connection, never in the database.
import { hkdfSync, randomBytes } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { DataKeySource } from '../tokens/seed-crypto';

export type AuditKeySource = () => Buffer;

export class AuditKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditKeyError';
  }
}

const AUDIT_KEY_INFO = 'kortstation audit chain v1';

/** One sealed secret for seeds and audit: the audit key is an HKDF subkey, so knowing it opens no seed. */
export function auditKeyFromDataKey(dataKey: DataKeySource): AuditKeySource {
  let key: Buffer | undefined;
  return () => (key ??= Buffer.from(hkdfSync('sha256', dataKey(), Buffer.alloc(0), AUDIT_KEY_INFO, 32)));
}

/** For a database in memory: nothing outlives the process, so neither may its key. */
export function ephemeralAuditKey(): AuditKeySource {
  const key = randomBytes(32);
  return () => key;
}

const keysByConnection = new WeakMap<BetterSqlite3.Database, AuditKeySource>();

export function bindAuditKey(sqlite: BetterSqlite3.Database, source: AuditKeySource): void {
  keysByConnection.set(sqlite, source);
}

export function auditKeyOf(sqlite: BetterSqlite3.Database): Buffer {
  const source = keysByConnection.get(sqlite);
  if (!source) throw new AuditKeyError('This database connection was opened without an audit key; open it with openDatabase.');
  return source();
}
