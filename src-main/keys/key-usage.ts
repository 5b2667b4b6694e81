// What in a register a data key holds: the seeds it opens and whether the audit trail is chained under it.
import { AUDIT_KEY_ID_SETTING } from '../audit/audit';
import { auditKeyId } from '../audit/hash';
import { auditKeyFromDataKey } from '../audit/key';
import type { Db } from '../db/data-layer';
import { readSetting } from '../db/settings';
import { opensWith, staffSeeds, tokenSeeds, type SealedRow } from './sealed-rows';

export interface KeyUsage {
  tokenSeeds: number;
  staffSeeds: number;
  auditTrail: boolean;
}

export const auditKeyOf = (dataKey: Buffer): Buffer => auditKeyFromDataKey(() => dataKey)();

async function countOpening(rows: AsyncGenerator<SealedRow>, key: Buffer): Promise<number> {
  let count = 0;
  for await (const row of rows) if (opensWith(row, key)) count++;
  return count;
}

export async function keyUsage(db: Db, key: Buffer): Promise<KeyUsage> {
  return db.transaction(async () => ({
    tokenSeeds: await countOpening(tokenSeeds(db), key),
    staffSeeds: await countOpening(staffSeeds(db), key),
    auditTrail: (await readSetting(db, AUDIT_KEY_ID_SETTING)) === auditKeyId(auditKeyOf(key)),
  }));
}

export const keyInUse = (usage: KeyUsage): boolean => usage.tokenSeeds > 0 || usage.staffSeeds > 0 || usage.auditTrail;
