// Imports revocation lists (PEM or DER) and hands the current ones to the card test.
import { signedBy } from '../card/certificates';
import { x509 } from '../card/x509';
import type { CrlImportResult, CrlInfo } from '@shared/contract';
import { AppError } from '../app-error';
import { derBlocks } from '../card/trust-store';
import type { Db } from '../db/data-layer';
import { appendAudit } from '../audit/audit';
import type { AuditedBy } from '../audit/audited-by';

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

/** Every entry point's import: a 'crl.imported' row commits with the list, and a refused file is recorded too. */
export async function importCrl(db: Db, bytes: Uint8Array, trusted: readonly Uint8Array[], by: AuditedBy): Promise<CrlImportResult> {
  const record = (outcome: 'ok' | 'refused', issuer: string | null, details: { [key: string]: string | boolean | null }) =>
    appendAudit(db, { station: by.station, actor: by.actor, action: 'crl.imported', subjectType: issuer ? 'crl' : null, subjectId: issuer, outcome, details, at: by.now });
  let parsed: { der: Uint8Array; crl: x509.X509Crl };
  try {
    parsed = parseCrl(bytes);
    await checkSignature(parsed.crl, trusted);
  } catch (error) {
    if (error instanceof AppError) await record('refused', null, { refusal: error.code });
    throw error;
  }
  const { der, crl } = parsed;
  const row = {
    issuer: crl.issuer,
    this_update: crl.thisUpdate.toISOString(),
    next_update: crl.nextUpdate?.toISOString() ?? null,
    der,
    imported_at: by.now.toISOString(),
  };
  return db.transaction(async () => {
    const result = await db.kysely
      .insertInto('crl')
      .values(row)
      .onConflict((conflict) => conflict.column('issuer').doUpdateSet(row).where('crl.this_update', '<', row.this_update))
      .executeTakeFirst();
    const replaced = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    await record('ok', row.issuer, { thisUpdate: row.this_update, nextUpdate: row.next_update, replaced });
    return { issuer: row.issuer, thisUpdate: row.this_update, nextUpdate: row.next_update, replaced };
  });
}

export async function listCrls(db: Db): Promise<CrlInfo[]> {
  const rows = await db.kysely.selectFrom('crl').select(['issuer', 'this_update', 'next_update']).orderBy('issuer').execute();
  return rows.map((row) => ({ issuer: row.issuer, thisUpdate: row.this_update, nextUpdate: row.next_update }));
}

export async function currentCrls(db: Db): Promise<Uint8Array[]> {
  const rows = await db.kysely.selectFrom('crl').select('der').execute();
  return rows.map((row) => new Uint8Array(row.der));
}
