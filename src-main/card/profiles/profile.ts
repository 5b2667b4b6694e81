// One interface over the card layouts we meet (PKCS#15 SITHS cards, PIV cards) and the order they are tried in.
import type { PinRole } from '@shared/card-report';
import type { ApduChannel } from '../apdu';
import { probePiv } from './piv';
import { probePkcs15 } from './pkcs15';

export interface CardPinStatus {
  role: PinRole;
  /** null when the card would not say without a PIN being presented. */
  triesLeft: number | null;
  blocked: boolean;
}

export type PinOperationResult =
  | { kind: 'ok' }
  | { kind: 'wrong'; triesLeft: number | null }
  | { kind: 'blocked' }
  /** Rejected before anything was sent: wrong length or not digits. */
  | { kind: 'invalid-format' }
  | { kind: 'not-supported' }
  | { kind: 'failed'; sw: number };

/** What the card is asked to sign: RSA keys get a DigestInfo to pad PKCS#1 v1.5, EC keys the digest itself. */
export type SignatureRequest =
  | { algorithm: 'rsa-pkcs1'; digestInfo: Uint8Array; modulusBytes: number }
  | { algorithm: 'ecdsa'; digest: Uint8Array; curve: 'P-256' | 'P-384' };

export type CardSignature =
  | { kind: 'ok'; signature: Uint8Array }
  /** The card wants the key's PIN verified first. */
  | { kind: 'pin-required' }
  /** The card lists no usable key for the certificate, or knows no signing command. */
  | { kind: 'not-supported' }
  | { kind: 'failed'; sw: number };

export interface CardProfile {
  readonly name: 'pkcs15' | 'piv';
  /** The application's label as the card lists it (EF.DIR); null when it gives none. */
  readonly label: string | null;
  /** Card serial as the card states it (TokenInfo serial, PIV GUID/FASC-N), hex lowercase. */
  serial(): Promise<string | null>;
  /** DER of every certificate the card lists, in card order. */
  certificates(): Promise<Uint8Array[]>;
  /** Tries left for every PIN and the PUK, asked without spending a try (VERIFY with no data). */
  pins(): Promise<CardPinStatus[]>;
  verify(pin: Exclude<PinRole, 'puk'>, value: string): Promise<PinOperationResult>;
  change(pin: PinRole, current: string, next: string): Promise<PinOperationResult>;
  /** RESET RETRY COUNTER: the PUK and a new value for `pin`. */
  unblock(pin: Exclude<PinRole, 'puk'>, puk: string, next: string): Promise<PinOperationResult>;
  /** Signs with the private key belonging to `certificate`, one of those certificates() returned. */
  sign(certificate: Uint8Array, request: SignatureRequest): Promise<CardSignature>;
}

/** Returns the profile when the card speaks it, null when it doesn't; throws CardError on transport trouble. */
export type ProfileProbe = (channel: ApduChannel) => Promise<CardProfile | null>;

/** SITHS cards are PKCS#15, so that is asked first; PIV second. */
export const PROBE_ORDER: readonly ProfileProbe[] = [probePkcs15, probePiv];

export async function probeCard(channel: ApduChannel, probes: readonly ProfileProbe[] = PROBE_ORDER): Promise<CardProfile | null> {
  for (const probe of probes) {
    const profile = await probe(channel);
    if (profile) return profile;
  }
  return null;
}
