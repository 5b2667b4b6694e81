// Invitation tokens and SMS reset codes: made at random, stored only as an HMAC under the data key (six digits are too few for a plain hash).
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { DataKeySource } from '../tokens/seed-crypto';

export type SecretPurpose = 'invitation' | 'reset-code';

/** 32 random bytes in base64url: the part of an invitation link after /#/invitation/. */
export const newInvitationToken = (): string => randomBytes(32).toString('base64url');

export const newResetCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

// the purpose and account are in the MAC, so a digest never matches across them
export function secretDigest(dataKey: DataKeySource, purpose: SecretPurpose, scope: string, secret: string): string {
  return createHmac('sha256', dataKey()).update(`${purpose}\0${scope}\0${secret}`).digest('hex');
}

export function digestsEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
