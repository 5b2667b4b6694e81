// Status words of VERIFY / CHANGE REFERENCE DATA / RESET RETRY COUNTER as results, and PIN blocks as cards want them.
import type { PinRole } from '@shared/card-report';
import type { CardStatus } from '../apdu';
import type { CardPinStatus, PinOperationResult } from './profile';

export function pinStatusFrom(role: PinRole, status: CardStatus): CardPinStatus {
  switch (status.kind) {
    case 'tries-left':
      return { role, triesLeft: status.triesLeft, blocked: status.triesLeft === 0 };
    case 'blocked':
      return { role, triesLeft: 0, blocked: true };
    default:
      // 9000 (already verified this session) or a card that won't tell: the count is unknown
      return { role, triesLeft: null, blocked: false };
  }
}

export function pinResultFrom(status: CardStatus, sw: number): PinOperationResult {
  switch (status.kind) {
    case 'ok':
      return { kind: 'ok' };
    case 'tries-left':
      return status.triesLeft === 0 ? { kind: 'blocked' } : { kind: 'wrong', triesLeft: status.triesLeft };
    case 'blocked':
      return { kind: 'blocked' };
    case 'security-not-satisfied':
      return { kind: 'wrong', triesLeft: null };
    case 'not-supported':
      return { kind: 'not-supported' };
    default:
      return { kind: 'failed', sw };
  }
}

/** PIN digits as ASCII, padded to `storedLength`; null when the value breaks the card's length rules. */
export function encodePin(value: string, rules: { minLength: number; maxLength: number; storedLength: number; padChar: number }): Uint8Array | null {
  if (!/^\d+$/.test(value) || value.length < rules.minLength || value.length > rules.maxLength) return null;
  const block = new Uint8Array(Math.max(rules.storedLength, value.length)).fill(rules.padChar);
  block.set(new TextEncoder().encode(value));
  return block;
}
