// Procedures of PIN change and PUK unblock at the kiosk keypad; the card decides, the kiosk never spends a try for nothing.
import * as v from 'valibot';
import type { PinRejectionCode } from '../domain/pin-policy';
import type { PukRouteAction, PukRoutePolicy, PukRouteStep } from '../domain/puk-route';
import { procedure, type Role } from './procedure';
import { readerName } from './cards';
import { idDocument } from './cards-lifecycle';

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

/** Where the lost PUK-kod route stands for the holder at the counter; the PUK-kod itself never passes through it. */
export interface PukRouteState {
  routeId: string;
  step: PukRouteStep;
  reader: string;
  cardSerial: string | null;
  /** What may follow the ID-handling check here: the portal only where the region allows it. */
  choices: PukRouteAction[];
  /** The order reference in the region's ordering system, once a new PUK-kod is ordered. */
  orderReference: string | null;
}

// counter staff (ID-administratörer) check the ID-handling and, where allowed, read the PUK-kod in SITHS eID-portalen
const COUNTER_STAFF: readonly Role[] = ['operator', 'station-admin', 'org-admin'];

export const pinProcedures = {
  // the holder at the counter changes their own PIN: the card, not a login, is the authority
  'pin.status': procedure<PinStatus>()(v.strictObject({ reader: readerName }), 'anyone'),
  'pin.change': procedure<PinOutcome>()(v.strictObject({ reader: readerName, pin: userPinRole, current: pinValue, next: pinValue, useAnyway: useAnyway }), 'anyone'),
  'pin.unblock': procedure<PinOutcome>()(v.strictObject({ reader: readerName, pin: userPinRole, puk: pinValue, next: pinValue, useAnyway: useAnyway }), 'anyone'),
  // the holder tries their own PIN and key, as a login would: one try is spent only when the PIN is wrong
  'pin.proveKey': procedure<KeyProofOutcome>()(v.strictObject({ reader: readerName, pin: userPinRole, value: pinValue }), 'anyone'),
  'pukRoute.policy': procedure<PukRoutePolicy>()(v.strictObject({}), COUNTER_STAFF),
  // an organisation setting: whether the region lets an ID-administratör read a holder's PUK-kod in SITHS eID-portalen
  'pukRoute.setPolicy': procedure<PukRoutePolicy>()(v.strictObject({ portalRetrievalAllowed: v.boolean() }), ['org-admin']),
  'pukRoute.checkId': procedure<PukRouteState>()(v.strictObject({ reader: readerName, idDocument, holderMatches: v.literal(true) }), COUNTER_STAFF),
  'pukRoute.orderNewPuk': procedure<PukRouteState>()(
    v.strictObject({ routeId: v.pipe(v.string(), v.uuid()), orderReference: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)) }),
    COUNTER_STAFF,
  ),
  'pukRoute.retrieveFromPortal': procedure<PukRouteState>()(v.strictObject({ routeId: v.pipe(v.string(), v.uuid()) }), COUNTER_STAFF),
} as const;

export const PIN_ERROR_CODES = ['not-a-pin-card', 'puk-route-unknown', 'puk-route-id-not-checked', 'puk-route-portal-not-allowed', 'puk-route-done'] as const;
