// Key rotation: every seed re-sealed and the audit trail re-chained under a new data key in one transaction, then the key file replaced.
import { appendAudit, AUDIT_KEY_ID_SETTING, auditKeyMatches } from '../audit/audit';
import { verifyAudit } from '../audit/verify';
import { rechainAudit } from '../audit/rechain';
import type { AuditedBy } from '../audit/audited-by';
import { auditKeyId } from '../audit/hash';
import type { Db } from '../db/data-layer';
import { writeSetting } from '../db/settings';
import { readExistingKeyFile, SeedCryptoError } from '../tokens/seed-crypto';
import { checkReplaceable, discardStagedKey, newDataKey, nextKeyPath, previousKeyPath, replaceKeyFile, writeNewKeyFile } from './key-file';
import { auditKeyOf } from './key-usage';
import { staffSeeds, tokenSeeds, type SealedRow } from './sealed-rows';

export interface RotationCounts {
  seeds: number;
  staffSeeds: number;
  auditRows: number;
}

export class KeyRotationError extends Error {
  constructor(readonly code: 'not-the-register-key' | 'seed-unreadable', message: string) {
    super(message);
    this.name = 'KeyRotationError';
  }
}

/** The same register under another audit key: appends after the re-chaining are chained under the new key. */
function underAuditKey(db: Db, key: Buffer): Db {
  return Object.assign(Object.create(db) as Db, { auditKey: () => key });
}

async function reseal(rows: AsyncGenerator<SealedRow>, oldKey: Buffer, newKey: Buffer): Promise<number> {
  let count = 0;
  for await (const row of rows) {
    let seed: Buffer;
    try {
      seed = row.open(oldKey);
    } catch (error) {
      if (!(error instanceof SeedCryptoError)) throw error;
      throw new KeyRotationError('seed-unreadable', `Hemligheten för ${row.label} går inte att öppna med nuvarande nyckel; inget ändrades. / The secret of ${row.label} does not open under the current key; nothing was changed.`);
    }
    try {
      await row.store(row.seal(newKey, seed));
    } finally {
      seed.fill(0);
    }
    count++;
  }
  return count;
}

/**
 * In one transaction: every token and staff seed re-sealed under `newKey`, the trail verified under the old audit key and
 * re-chained under the new one, and an 'audit.rekeyed' row saying whether the old chain held. `db` holds the old audit key.
 */
export async function reencryptRegister(db: Db, oldKey: Buffer, newKey: Buffer, by: AuditedBy): Promise<RotationCounts> {
  const newAuditKey = auditKeyOf(newKey);
  return db.transaction(async () => {
    if (!(await auditKeyMatches(db))) {
      throw new KeyRotationError('not-the-register-key', 'Registrets revisionslogg är kedjad under en annan nyckel än stationens; inget ändrades. Importera regionens nyckel först. / The register\'s audit trail is chained under another key than this station\'s; nothing was changed. Import the region\'s key first.');
    }
    const seeds = await reseal(tokenSeeds(db), oldKey, newKey);
    const staff = await reseal(staffSeeds(db), oldKey, newKey);
    // what the old chain said when it was replaced stays on record: re-keying must not launder an earlier edit
    const before = await verifyAudit(db);
    // a row with no chain was written around the program: it goes on the chain of its station, and verify said so above
    const { rows } = await rechainAudit(db, newAuditKey, (row) => row.chain ?? row.station);
    await writeSetting(db, AUDIT_KEY_ID_SETTING, auditKeyId(newAuditKey));
    await appendAudit(underAuditKey(db, newAuditKey), {
      station: by.station,
      actor: by.actor,
      action: 'audit.rekeyed',
      outcome: before.ok ? 'ok' : 'failed',
      details: { rows, previousChainIntact: before.ok, previousFirstBadRow: before.firstBadRow, tokens: seeds, staffAccounts: staff },
      at: by.now,
    });
    return { seeds, staffSeeds: staff, auditRows: rows };
  });
}

/**
 * Rotates the key in `keyFile`: the new key is written beside it first, the register re-encrypted, and only after the
 * commit is the new key renamed into place, the old one kept as FILE.previous. Any failure before leaves both unchanged.
 */
export async function rotateKeyFile(keyFile: string, reencrypt: (oldKey: Buffer, newKey: Buffer) => Promise<RotationCounts>): Promise<RotationCounts> {
  checkReplaceable(keyFile, previousKeyPath(keyFile));
  const oldKey = readExistingKeyFile(keyFile);
  const newKey = newDataKey();
  const staged = nextKeyPath(keyFile);
  writeNewKeyFile(staged, newKey);
  let counts: RotationCounts;
  try {
    counts = await reencrypt(oldKey, newKey);
  } catch (error) {
    discardStagedKey(staged);
    throw error;
  }
  replaceKeyFile(keyFile, staged, previousKeyPath(keyFile));
  return counts;
}
