// Procedures of PIN change and PUK unblock at the kiosk keypad; the card decides, the kiosk never spends a try for nothing.
import * as v from 'valibot';
import type { PinRejectionCode } from '../domain/pin-policy';
import { procedure } from './procedure';
import { readerName } from './cards';

export type UserPinRole = 'auth' | 'sign';

export interface PinRule {
  role: UserPinRole | 'puk';
  minLength: number;
  maxLength: number;
  triesLeft: number | null;
  blocked: boolean;
}

export interface PinStatus {
  reader: string;
  profile: 'pkcs15' | 'piv';
  cardSerial: string | null;
  pins: PinRule[];
}

export type PinOutcomeCode =
  | 'changed'
  | 'unblocked'
  /** the current PIN (or the PUK, for unblock) was wrong; triesLeft says how many remain */
  | 'wrong-pin'
  | 'wrong-puk'
  | 'pin-blocked'
  | 'puk-blocked'
  /** refused before anything was sent to the card */
  | 'invalid-format'
  | 'policy'
  /** the new PIN is tied to the holder: advised against, sent only once the holder confirms (useAnyway) */
  | 'holder-advice'
  /** too many policy refusals for this card lately: nothing checked, nothing sent */
  | 'try-later'
  | 'not-supported'
  | 'failed';

export interface PinOutcome {
  ok: boolean;
  code: PinOutcomeCode;
  triesLeft: number | null;
  /** why the new PIN was refused, when code is 'policy' or 'invalid-format' */
  rejections: PinRejectionCode[];
}

/** Digits only, bounded: the card and the policy judge the exact length; fixed messages, since valibot's defaults quote the value. */
const pinValue = v.pipe(v.string('a PIN or PUK must be text'), v.regex(/^\d{4,16}$/, 'a PIN or PUK is 4–16 digits'));
const userPinRole = v.picklist(['auth', 'sign']);
/** the holder has seen the advice against a code tied to them and keeps it */
const useAnyway = v.optional(v.boolean());

/** "Testa inloggning": the card signed with its certificate's key after the PIN ('ok'), with another key ('mismatch'), or could not be asked. */
export type KeyProofResult = 'ok' | 'mismatch' | 'wrong-pin' | 'blocked' | 'not-supported';

export interface KeyProofOutcome {
  role: UserPinRole;
  result: KeyProofResult;
  /** after a wrong PIN, when the card tells */
  triesLeft: number | null;
}

export const pinProcedures = {
  // the holder at the counter changes their own PIN: the card, not a login, is the authority
  'pin.status': procedure<PinStatus>()(v.strictObject({ reader: readerName }), 'anyone'),
  'pin.change': procedure<PinOutcome>()(v.strictObject({ reader: readerName, pin: userPinRole, current: pinValue, next: pinValue, useAnyway: useAnyway }), 'anyone'),
  'pin.unblock': procedure<PinOutcome>()(v.strictObject({ reader: readerName, pin: userPinRole, puk: pinValue, next: pinValue, useAnyway: useAnyway }), 'anyone'),
  // the holder tries their own PIN and key, as a login would: one try is spent only when the PIN is wrong
  'pin.proveKey': procedure<KeyProofOutcome>()(v.strictObject({ reader: readerName, pin: userPinRole, value: pinValue }), 'anyone'),
} as const;

export const PIN_ERROR_CODES = ['not-a-pin-card'] as const;
