// The card holder as the PIN policy needs them: personnummer and mobile of the person with the card's HSA-ID.
import { normalizeHsaId } from '@shared/domain/hsa-id';
import type { PinHolder } from '@shared/domain/pin-policy';
import type { Db } from '../db/data-layer';

export function holderByHsaId(db: Db): (hsaId: string) => Promise<PinHolder | undefined> {
  return async (hsaId) => {
    const person = await db.kysely.selectFrom('person').select(['personnummer', 'mobile']).where('hsa_id', '=', normalizeHsaId(hsaId)).executeTakeFirst();
    return person ? { personnummer: person.personnummer, phone: person.mobile ?? undefined } : undefined;
  };
}
