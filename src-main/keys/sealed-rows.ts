// The register's rows sealed under the data key: token seeds (bound to the serial) and staff OTP seeds (bound to the account), read in pages.
import type { Db } from '../db/data-layer';
import { openStaffSeed, sealStaffSeed } from '../staff/otp';
import { openSeed, sealSeed } from '../tokens/seed-crypto';

/** One sealed seed and how to open and re-seal it; `label` names the row in a message (a serial or an account id, never the seed). */
export interface SealedRow {
  label: string;
  blob: Uint8Array;
  open(key: Buffer): Buffer;
  seal(key: Buffer, seed: Uint8Array): Buffer;
  store(blob: Buffer): Promise<void>;
}

// read in pages by id, so a region's many tokens never sit in memory at once
const PAGE = 1000;

async function* pages<T extends { id: number }>(db: Db, query: string): AsyncGenerator<T> {
  for (let after = 0; ; ) {
    const rows = await db.all<T>(query, [after, PAGE]);
    yield* rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}

export async function* tokenSeeds(db: Db): AsyncGenerator<SealedRow> {
  for await (const row of pages<{ id: number; serial: string; sealed_seed: Uint8Array }>(db, 'SELECT id, serial, sealed_seed FROM token WHERE id > ? ORDER BY id LIMIT ?')) {
    yield {
      label: `dosa ${row.serial} / token ${row.serial}`,
      blob: row.sealed_seed,
      open: (key) => openSeed(key, row.serial, row.sealed_seed),
      seal: (key, seed) => sealSeed(key, row.serial, seed),
      store: async (blob) => void (await db.run('UPDATE token SET sealed_seed = ? WHERE id = ?', [blob, row.id])),
    };
  }
}

export async function* staffSeeds(db: Db): AsyncGenerator<SealedRow> {
  for await (const row of pages<{ id: number; otp_seed: Uint8Array }>(db, 'SELECT id, otp_seed FROM staff_account WHERE otp_seed IS NOT NULL AND id > ? ORDER BY id LIMIT ?')) {
    yield {
      label: `personalkonto ${row.id} / staff account ${row.id}`,
      blob: row.otp_seed,
      open: (key) => openStaffSeed(() => key, row.id, row.otp_seed),
      seal: (key, seed) => sealStaffSeed(() => key, row.id, seed),
      store: async (blob) => void (await db.run('UPDATE staff_account SET otp_seed = ? WHERE id = ?', [blob, row.id])),
    };
  }
}

/** Whether `key` opens this seed; any failure to open (wrong key, changed blob) is a no. */
export function opensWith(row: SealedRow, key: Buffer): boolean {
  try {
    row.open(key).fill(0);
    return true;
  } catch {
    return false;
  }
}
