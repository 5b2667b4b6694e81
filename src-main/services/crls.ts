// Imports revocation lists (PEM or DER) and hands the current ones to the card test.
import { x509 } from '../card/x509';
import type { Kysely } from 'kysely';
import { AppError } from '../app-error';
import { derBlocks } from '../card/trust-store';
import type { Database } from '../db/schema';

export interface ImportedCrl {
  issuer: string;
  thisUpdate: string;
  nextUpdate: string | null;
  /** false when the station already had this issuer's list from the same time or later. */
  replaced: boolean;
}

function parseCrl(bytes: Uint8Array): { der: Uint8Array; crl: x509.X509Crl } {
  try {
    const blocks = derBlocks(bytes);
    if (blocks.length !== 1) throw new Error('expected exactly one CRL');
    const der = blocks[0]!;
    const crl = new x509.X509Crl(der);
    void [crl.issuer, crl.thisUpdate, crl.nextUpdate];
    return { der, crl };
  } catch (error) {
    throw new AppError('crl-invalid', 'The file is not a certificate revocation list (PEM or DER)', { cause: error });
  }
}

export async function importCrl(db: Kysely<Database>, bytes: Uint8Array, now = new Date()): Promise<ImportedCrl> {
  const { der, crl } = parseCrl(bytes);
  const row = {
    issuer: crl.issuer,
    this_update: crl.thisUpdate.toISOString(),
    next_update: crl.nextUpdate?.toISOString() ?? null,
    der,
    imported_at: now.toISOString(),
  };
  const result = await db
    .insertInto('crl')
    .values(row)
    .onConflict((conflict) => conflict.column('issuer').doUpdateSet(row).where('crl.this_update', '<', row.this_update))
    .executeTakeFirst();
  return { issuer: row.issuer, thisUpdate: row.this_update, nextUpdate: row.next_update, replaced: Number(result.numInsertedOrUpdatedRows ?? 0) > 0 };
}

export async function currentCrls(db: Kysely<Database>): Promise<Uint8Array[]> {
  const rows = await db.selectFrom('crl').select('der').execute();
  return rows.map((row) => new Uint8Array(row.der));
}
