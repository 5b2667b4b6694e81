// One virtual card's contents, shared by its PKCS#15 and PIV personalities: certificates with their private keys, PINs with counters, serial, ATR.
import type { KeyObject } from 'node:crypto';

export type PinId = 'auth' | 'sign' | 'puk';
export type CertificateSlot = 'auth' | 'sign';

export interface PinPolicy {
  minLength: number;
  maxLength: number;
  maxTries: number;
}

export interface PinState {
  value: string;
  triesLeft: number;
}

export interface CardCertificate {
  slot: CertificateSlot;
  label: string;
  der: Uint8Array;
  /** The key the card signs with; a healthy card's matches the certificate. */
  privateKey: KeyObject;
}

export interface CardDefinition {
  serial: string;
  certificates: CardCertificate[];
  pins: Record<PinId, PinState & PinPolicy>;
}

/** What survives a power cycle and goes into a state file. PIN values included: it is a test card. */
export interface CardMutableState {
  pins: Record<PinId, PinState>;
}

export type PinCheck = { kind: 'ok' } | { kind: 'wrong'; triesLeft: number } | { kind: 'blocked' };

export const PIN_IDS: readonly PinId[] = ['auth', 'sign', 'puk'];

export class CardModel {
  readonly serial: string;
  readonly certificates: readonly CardCertificate[];
  readonly #policies: Record<PinId, PinPolicy>;
  #pins: Record<PinId, PinState>;

  constructor(definition: CardDefinition) {
    this.serial = definition.serial;
    this.certificates = definition.certificates;
    const { auth, sign, puk } = definition.pins;
    this.#policies = {
      auth: { minLength: auth.minLength, maxLength: auth.maxLength, maxTries: auth.maxTries },
      sign: { minLength: sign.minLength, maxLength: sign.maxLength, maxTries: sign.maxTries },
      puk: { minLength: puk.minLength, maxLength: puk.maxLength, maxTries: puk.maxTries },
    };
    this.#pins = {
      auth: { value: auth.value, triesLeft: auth.triesLeft },
      sign: { value: sign.value, triesLeft: sign.triesLeft },
      puk: { value: puk.value, triesLeft: puk.triesLeft },
    };
  }

  policy(pin: PinId): PinPolicy {
    return this.#policies[pin];
  }

  triesLeft(pin: PinId): number {
    return this.#pins[pin].triesLeft;
  }

  isBlocked(pin: PinId): boolean {
    return this.#pins[pin].triesLeft === 0;
  }

  /** A wrong value spends a try; the right one restores the counter. */
  check(pin: PinId, candidate: string): PinCheck {
    const state = this.#pins[pin];
    if (state.triesLeft === 0) return { kind: 'blocked' };
    if (candidate !== state.value) {
      state.triesLeft -= 1;
      return { kind: 'wrong', triesLeft: state.triesLeft };
    }
    state.triesLeft = this.#policies[pin].maxTries;
    return { kind: 'ok' };
  }

  acceptsFormat(pin: PinId, value: string): boolean {
    const { minLength, maxLength } = this.#policies[pin];
    return /^\d+$/.test(value) && value.length >= minLength && value.length <= maxLength;
  }

  setValue(pin: PinId, value: string): void {
    this.#pins[pin] = { value, triesLeft: this.#policies[pin].maxTries };
  }

  /** PUK check, then a new value for `pin` with a full counter. */
  unblock(pin: Exclude<PinId, 'puk'>, puk: string, newValue: string): PinCheck {
    const result = this.check('puk', puk);
    if (result.kind === 'ok') this.setValue(pin, newValue);
    return result;
  }

  toJSON(): CardMutableState {
    return { pins: structuredClone(this.#pins) };
  }

  restore(state: CardMutableState): void {
    for (const pin of PIN_IDS) {
      const saved = state.pins[pin];
      const policy = this.#policies[pin];
      if (!Number.isInteger(saved.triesLeft) || saved.triesLeft < 0 || saved.triesLeft > policy.maxTries) {
        throw new RangeError(`state file: tries for ${pin} out of range`);
      }
      this.#pins[pin] = { value: String(saved.value), triesLeft: saved.triesLeft };
    }
  }
}

/** A PIN block as the applets receive it: digits padded with `padChar` to `length`; null when it isn't one. */
export function unpadPin(block: Uint8Array, length: number, padChar: number): string | null {
  if (block.length !== length) return null;
  let end = block.length;
  while (end > 0 && block[end - 1] === padChar) end -= 1;
  const digits = block.subarray(0, end);
  if (!digits.every((byte) => byte >= 0x30 && byte <= 0x39)) return null;
  return new TextDecoder().decode(digits);
}

/** 9000, 63Cx with the tries left, or 6983 once blocked. */
export function pinCheckStatus(result: PinCheck): number {
  if (result.kind === 'ok') return 0x9000;
  if (result.kind === 'blocked') return 0x6983;
  return 0x63c0 | result.triesLeft;
}
