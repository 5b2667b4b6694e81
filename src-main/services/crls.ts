// Imports revocation lists (PEM or DER) and hands the current ones to the card test.
import { signedBy } from '../card/certificates';
import { x509 } from '../card/x509';
import type { Kysely } from 'kysely';
import type { CrlImportResult, CrlInfo } from '@shared/contract';
import { AppError } from '../app-error';
import { derBlocks } from '../card/trust-store';
import type { Database } from '../db/schema';


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

/** Only a list signed by a CA the station trusts is kept, so importing cannot be used to plant a forged one. */
async function checkSignature(crl: x509.X509Crl, trusted: readonly Uint8Array[]): Promise<void> {
  for (const der of trusted) {
    const candidate = new x509.X509Certificate(der);
    if (candidate.subject === crl.issuer && (await signedBy(crl, candidate))) return;
  }
  throw new AppError('crl-untrusted', `The list is not signed by a trusted CA (issuer ${crl.issuer}); put the issuer's certificate in a trust folder first`);
}

export async function importCrl(db: Kysely<Database>, bytes: Uint8Array, trusted: readonly Uint8Array[], now = new Date()): Promise<CrlImportResult> {
  const { der, crl } = parseCrl(bytes);
  await checkSignature(crl, trusted);
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

export async function listCrls(db: Kysely<Database>): Promise<CrlInfo[]> {
  const rows = await db.selectFrom('crl').select(['issuer', 'this_update', 'next_update']).orderBy('issuer').execute();
  return rows.map((row) => ({ issuer: row.issuer, thisUpdate: row.this_update, nextUpdate: row.next_update }));
}

export async function currentCrls(db: Kysely<Database>): Promise<Uint8Array[]> {
  const rows = await db.selectFrom('crl').select('der').execute();
  return rows.map((row) => new Uint8Array(row.der));
}
