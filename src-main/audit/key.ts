// The audit key: derived from the station's data key (key file or safeStorage), held in memory by the data layer, never in the database.
import { hkdfSync, randomBytes } from 'node:crypto';
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
