// The card holder as the PIN policy needs them: personnummer and mobile of the person with the card's HSA-ID.
import type { Kysely } from 'kysely';
import { normalizeHsaId } from '@shared/domain/hsa-id';
import type { PinHolder } from '@shared/domain/pin-policy';
import type { Database } from '../db/schema';

export function holderByHsaId(db: Kysely<Database>): (hsaId: string) => Promise<PinHolder | undefined> {
  return async (hsaId) => {
    const person = await db.selectFrom('person').select(['personnummer', 'mobile']).where('hsa_id', '=', normalizeHsaId(hsaId)).executeTakeFirst();
    return person ? { personnummer: person.personnummer, phone: person.mobile ?? undefined } : undefined;
  };
}
