// Procedures of OTP tokens (dosor): import into stock, issue after a live code, check, return, lost, defective swap.
import * as v from 'valibot';
import { jobField } from './work';
import { TOKEN_CATEGORIES, type TokenCategory } from '../domain/token-limits';
import { idDocument } from './cards-lifecycle';
import { noInput, procedure, type Role } from './procedure';

export { TOKEN_CATEGORIES };

export const TOKEN_STATES = ['in-stock', 'issued', 'lost', 'defective', 'sent-to-support', 'retired'] as const;
export type TokenState = (typeof TOKEN_STATES)[number];
export type { TokenCategory };

export interface TokenInfo {
  serial: string;
  kind: 'hotp' | 'totp';
  state: TokenState;
  category: TokenCategory | null;
  manufacturer: string | null;
  /** The unit that paid for it and gets it back; null for the station's own stock. */
  unitId: number | null;
  unitName: string | null;
  reference: string | null;
  personId: number | null;
  personName: string | null;
  issuedAt: string | null;
}

export interface TokenImportResult {
  format: 'pskc' | 'vendor-csv';
  imported: number;
  serials: string[];
}

/** One owner's stock: a unit, or the station's own (unitId null). */
export interface TokenStockRow {
  unitId: number | null;
  unitName: string | null;
  reference: string | null;
  counts: Record<TokenState, number>;
}

export interface TokenCheckResult {
  valid: boolean;
  /** The tokens whose code matched; more than one only when two seeds happen to give the same code. */
  matches: TokenInfo[];
}

export interface TokenCharge {
  amountOre: number;
  month: string;
  personId: number | null;
  unitId: number | null;
  reference: string | null;
}

export interface TokenLostResult {
  token: TokenInfo;
  charge: TokenCharge;
}

export interface TokenEventInfo {
  at: string;
  action: string;
  personId: number | null;
  personName: string | null;
  actor: string | null;
}

export interface TokenHistory {
  token: TokenInfo;
  events: TokenEventInfo[];
}

/** A unit's purchase of tokens: charged to its reference when the tokens are delivered. */
export interface UnitTokenOrder {
  id: number;
  unitId: number;
  unitName: string;
  reference: string;
  quantity: number;
  priceOre: number;
  orderedBy: string;
  orderedAt: string;
  deliveredAt: string | null;
}

/** What a lost token costs and whom to contact about tokens; the organisation administrator sets both. */
export interface TokenTerms {
  lostChargeOre: number;
  /** Null: the kiosk's default wording (the Servicedesk). */
  supportContact: string | null;
}

export const MAX_TOKEN_FILE_BASE64 = 96 * 1024 * 1024;
export const MAX_SERIALS_PER_CALL = 1000;

// fixed messages: valibot's defaults quote the received value, and a code or key is a secret
export const tokenCode = v.pipe(v.string('the code must be text'), v.regex(/^\d{6,8}$/, 'the code must be 6–8 digits'));
export const tokenSerial = v.pipe(v.string(), v.trim(), v.regex(/^[^\p{Cc}\p{Cf}]{1,64}$/u, 'a serial is 1–64 printable characters'));
const recordId = v.pipe(v.number(), v.integer(), v.minValue(1));
const category = v.picklist(TOKEN_CATEGORIES);
const preSharedKeyHex = v.pipe(v.string('the key must be text'), v.regex(/^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64})$/, 'the key must be 16, 24 or 32 bytes in hex'));
const filePassword = v.pipe(v.string('the password must be text'), v.minLength(1, 'the password is empty'), v.maxLength(256, 'the password is too long'));

const COUNTER_ROLES: readonly Role[] = ['operator', 'station-admin', 'org-admin', 'unit-admin'];
const STOCK_ADMINS: readonly Role[] = ['station-admin', 'org-admin'];
const STOCK_VIEWERS: readonly Role[] = ['station-admin', 'org-admin', 'unit-admin'];
// a unit orders its tokens (a unit administrator only for their own units); a stock administrator records the delivery
const TOKEN_BUYERS: readonly Role[] = ['station-admin', 'org-admin', 'unit-admin'];

export const tokenProcedures = {
  'tokens.import': procedure<TokenImportResult>()(
    v.strictObject({
      // a plain PSKC file holds seeds in the clear: no refusal may quote it
      contentBase64: v.pipe(v.string('the file must be base64 text'), v.maxLength(MAX_TOKEN_FILE_BASE64, 'the file is too large'), v.base64('the file is not base64')),
      /** The owning unit's reference; absent: the station's own stock. */
      unitReference: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
      preSharedKeyHex: v.optional(preSharedKeyHex),
      password: v.optional(filePassword),
      ...jobField,
    }),
    STOCK_ADMINS,
  ),
  'tokens.stock': procedure<TokenStockRow[]>()(noInput, STOCK_VIEWERS),
  'tokens.issue': procedure<TokenInfo>()(
    v.strictObject({
      personId: recordId,
      category,
      serial: tokenSerial,
      code: tokenCode,
      /** Checked before the link: the person's ID document, as at a card handover. */
      idDocument,
      /** Staff's reason for a kind the person's employment type does not call for; audited. */
      kindOverrideReason: v.optional(v.pipe(v.string(), v.trim(), v.minLength(3, 'the reason is too short'), v.maxLength(300, 'the reason is too long'))),
    }),
    COUNTER_ROLES,
  ),
  'tokens.check': procedure<TokenCheckResult>()(v.strictObject({ serial: v.optional(tokenSerial), code: tokenCode }), COUNTER_ROLES),
  'tokens.return': procedure<TokenInfo>()(v.strictObject({ serial: tokenSerial }), COUNTER_ROLES),
  /** chargeTo 'unit' when the person who lost it cannot be traced. */
  'tokens.lost': procedure<TokenLostResult>()(v.strictObject({ serial: tokenSerial, chargeTo: v.picklist(['person', 'unit']) }), COUNTER_ROLES),
  // the replacement is linked to the holder as a new token is: after the ID document is checked
  'tokens.swapDefective': procedure<TokenInfo>()(v.strictObject({ oldSerial: tokenSerial, newSerial: tokenSerial, code: tokenCode, idDocument }), COUNTER_ROLES),
  'tokens.defective': procedure<TokenInfo[]>()(noInput, STOCK_ADMINS),
  'tokens.markSent': procedure<{ marked: number }>()(
    v.strictObject({ serials: v.pipe(v.array(tokenSerial), v.minLength(1), v.maxLength(MAX_SERIALS_PER_CALL)) }),
    STOCK_ADMINS,
  ),
  'tokens.forPerson': procedure<TokenInfo[]>()(v.strictObject({ personId: recordId }), COUNTER_ROLES),
  'tokens.history': procedure<TokenHistory>()(v.strictObject({ serial: tokenSerial }), COUNTER_ROLES),
  'tokens.orders': procedure<UnitTokenOrder[]>()(noInput, STOCK_VIEWERS),
  'tokens.order': procedure<UnitTokenOrder>()(
    v.strictObject({
      unitId: recordId,
      quantity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000)),
      priceOre: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000_000)),
    }),
    TOKEN_BUYERS,
  ),
  'tokens.orderDelivered': procedure<UnitTokenOrder>()(v.strictObject({ orderId: recordId }), STOCK_ADMINS),
  // the holder's "Vanliga frågor" names the amount and the contact without a login
  'tokens.terms': procedure<TokenTerms>()(noInput, 'anyone'),
  'tokens.saveTerms': procedure<TokenTerms>()(
    v.strictObject({
      lostChargeOre: v.pipe(v.number('the amount must be a number'), v.integer('whole öre'), v.minValue(0, 'the amount is negative'), v.maxValue(10_000_000, 'the amount is too large')),
      supportContact: v.nullable(v.pipe(v.string('the contact must be text'), v.trim(), v.maxLength(300, 'the contact is too long'))),
    }),
    ['org-admin'],
  ),
} as const;

export const TOKEN_ERROR_CODES = [
  'token-not-found',
  'token-wrong-state',
  'token-already-issued',
  'token-code-wrong',
  'token-category-taken',
  'token-both-taken',
  'token-file-invalid',
  'token-duplicate-serial',
  'token-seed-unreadable',
  'unknown-reference',
  'ambiguous-reference',
  'token-order-not-found',
  'token-order-delivered',
  'token-kind-mismatch',
] as const;
