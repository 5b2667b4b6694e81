// "Testa inloggning": the PIN is verified and the card signs a fresh challenge with its certificate's key, as at staff login.
import type { KeyProofResult, UserPinRole } from '@shared/contract/pins';
import { ApduChannel, type RawTransmit } from './apdu';
import { certificateRole, parseCertificate } from './certificates';
import { proveKey } from './key-proof';
import { probeCard } from './profiles/profile';

export type KeyCheckRole = UserPinRole;
export type KeyCheckResult = KeyProofResult;

export interface KeyCheck {
  role: KeyCheckRole;
  result: KeyCheckResult;
  /** Tries left after a wrong PIN, when the card tells; null otherwise. */
  triesLeft: number | null;
  cardSerial: string | null;
}

/** Verifies `pin` for `role` (one try spent only when it is wrong) and proves the key of that role's certificate. */
export async function checkCardKey(transmit: RawTransmit, role: KeyCheckRole, pin: string): Promise<KeyCheck> {
  const profile = await probeCard(new ApduChannel(transmit));
  if (!profile) return { role, result: 'not-supported', triesLeft: null, cardSerial: null };
  const cardSerial = await profile.serial();
  const done = (result: KeyCheckResult, triesLeft: number | null = null): KeyCheck => ({ role, result, triesLeft, cardSerial });
  const certificate = (await profile.certificates()).find((der) => certificateRole(parseCertificate(der)) === role);
  // without the certificate there is nothing to prove the key against, so no PIN try is risked
  if (!certificate) return done('not-supported');
  const verified = await profile.verify(role, pin);
  switch (verified.kind) {
    case 'ok':
      break;
    case 'wrong':
      return done('wrong-pin', verified.triesLeft);
    case 'invalid-format':
      // refused before anything reached the card: no try spent
      return done('wrong-pin');
    case 'blocked':
      return done('blocked', 0);
    case 'not-supported':
    case 'failed':
      return done('not-supported');
  }
  const proof = await proveKey(profile, certificate);
  return done(proof === 'ok' || proof === 'mismatch' ? proof : 'not-supported');
}
