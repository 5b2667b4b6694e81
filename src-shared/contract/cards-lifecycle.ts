// Procedures of a card's life at the station: orders, photo, production, handover, return, block requests, worklists.
import * as v from 'valibot';
import type { CardState } from '../domain/card-lifecycle';
import type { BlockRequestState } from '../domain/block-request';
import { isValidHsaId, normalizeHsaId } from '../domain/hsa-id';
import { jobField } from './work';
import { procedure, type Role } from './procedure';

export const ID_DOCUMENT_TYPES = ['pass', 'nationellt-id-kort', 'svenskt-korkort', 'sis-id-kort', 'other'] as const;
export type IdDocumentType = (typeof ID_DOCUMENT_TYPES)[number];

export const RETURN_REASONS = ['employment-ended', 'replaced', 'name-change', 'broken'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export const BLOCK_REASONS = ['lost', 'stolen', 'uncollected', 'other'] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

export interface CardEvent {
  at: string;
  action: string;
  station: string;
  actor: string | null;
  details: Record<string, string | number | boolean | null> | null;
}

export interface CardOrderSummary {
  id: number;
  personId: number;
  personName: string;
  orderDate: string;
  orderReference: string;
  state: CardState;
  cardNumber: string | null;
  photoStation: { id: number; name: string } | null;
  /** Photographed at this station: only here may the card be handed over. */
  photographedHere: boolean;
  photographedAt: string | null;
  photographedBy: string | null;
  readyAt: string | null;
  handedOverAt: string | null;
  /** Ready for longer than three months: on the worklist as "ska spärras". */
  uncollected: boolean;
  /** The earliest notAfter of the card's certificates, from the last card test of the card; null until tested. */
  certificatesNotAfter: string | null;
  replacesOrderId: number | null;
}

export interface CardOrderHistory extends CardOrderSummary {
  events: CardEvent[];
}

export interface OrderImportError {
  line: number;
  field: 'personnummer' | 'orderDate' | 'orderReference' | 'file';
  code: 'missing' | 'format' | 'unknown-person' | 'forbidden' | 'duplicate' | 'missing-column' | 'unreadable' | 'empty' | 'too-many-rows' | 'too-large-or-damaged';
}

export interface OrderImportReport {
  created: number;
  errors: OrderImportError[];
}

/** What the receipt for the person's signature shows. */
export interface CardReceipt {
  kind: 'handover' | 'return';
  orderId: number;
  personName: string;
  personnummer: string;
  cardNumber: string;
  at: string;
  station: string;
  staff: string;
  idDocument: { type: IdDocumentType; lastFour: string; expiry: string } | null;
  returnReason: ReturnReason | null;
}

export interface BlockRequest {
  id: number;
  /** null, and no person: the card is not registered here (issued elsewhere or before go-live). */
  orderId: number | null;
  cardNumber: string | null;
  personName: string | null;
  personnummer: string | null;
  hsaId: string | null;
  reason: BlockReason;
  reportedBy: string;
  note: string | null;
  at: string;
  station: string;
  staff: string;
  keepUntil: string;
  state: BlockRequestState;
  /** Who confirmed the block in SITHS eID-portalen, when, and the portal's reference for it. */
  confirmedBy: string | null;
  confirmedAt: string | null;
  portalReference: string | null;
  closedBy: string | null;
  closedAt: string | null;
}

export interface ExpiringCard extends CardOrderSummary {
  daysLeft: number;
}

export interface EndingEmployment extends CardOrderSummary {
  employmentEnd: string;
}

export interface CardWorklist {
  toBlock: CardOrderSummary[];
  expiring: ExpiringCard[];
  employmentEnding: EndingEmployment[];
}

/** What the card test learns of the card's latest block request: recorded only, or blocked in SITHS eID-portalen. */
export interface CardFlags {
  blockState: BlockRequestState | null;
  requestedAt: string | null;
  confirmedAt: string | null;
  orderId: number | null;
}

export const MAX_ORDER_IMPORT_BYTES = 10 * 1024 * 1024;

const id = v.pipe(v.number(), v.integer(), v.minValue(1));
const isoDate = v.pipe(v.string(), v.isoDate());
const text = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));
/** The number printed on a SITHS card (and in its certificates): digits, as the card test reads it. */
export const cardNumber = v.pipe(v.string(), v.trim(), v.regex(/^[0-9A-Fa-f]{6,40}$/));
const hsaId = v.pipe(v.string(), v.trim(), v.transform(normalizeHsaId), v.check(isValidHsaId, 'not a valid HSA-ID'));
const blockReport = {
  reason: v.picklist(BLOCK_REASONS),
  reportedBy: text(200),
  note: v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(500))),
};
const readerName = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const confirmed = v.literal(true);

/** What staff read off the ID document (ID-handling) at the counter; shared by the card handover and the token linking. */
export const idDocument = v.strictObject({
  type: v.picklist(ID_DOCUMENT_TYPES),
  lastFour: v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9]{4}$/)),
  expiry: isoDate,
  note: v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(200))),
});
export type IdDocumentInput = v.InferOutput<typeof idDocument>;

// the counter's work: the holder comes to the station (photo, handover with ID document, return, block request); unit administrators work from their wards
const STATION_STAFF: readonly Role[] = ['operator', 'station-admin', 'org-admin'];
// a unit administrator may follow the cards of their own units' people
const CARD_HISTORY_READERS: readonly Role[] = ['operator', 'station-admin', 'org-admin', 'unit-admin'];

export const cardLifecycleProcedures = {
  'cardOrders.create': procedure<CardOrderSummary>()(v.strictObject({ personId: id, orderDate: isoDate, orderReference: text(100) }), STATION_STAFF),
  'cardOrders.import': procedure<OrderImportReport>()(
    v.strictObject({ fileName: text(255), contentBase64: v.pipe(v.string(), v.base64(), v.maxLength(Math.ceil(MAX_ORDER_IMPORT_BYTES / 3) * 4)), ...jobField }),
    STATION_STAFF,
  ),
  'cardOrders.photograph': procedure<CardOrderSummary>()(v.strictObject({ orderId: id }), STATION_STAFF),
  'cardOrders.produce': procedure<CardOrderSummary>()(v.strictObject({ orderId: id, cardNumber }), STATION_STAFF),
  'cardOrders.markReady': procedure<CardOrderSummary>()(v.strictObject({ orderId: id }), STATION_STAFF),
  'cardOrders.forPerson': procedure<CardOrderHistory[]>()(v.strictObject({ personId: id }), CARD_HISTORY_READERS),
  /** The card in a reader, or a card number typed when the card is cut already. */
  'cardOrders.lookup': procedure<CardOrderSummary>()(v.union([v.strictObject({ reader: readerName }), v.strictObject({ cardNumber })]), STATION_STAFF),
  'cardOrders.handover': procedure<CardReceipt>()(
    v.strictObject({ orderId: id, reader: readerName, idDocument, photoMatchesFace: confirmed, pinLetterBrought: confirmed }),
    STATION_STAFF,
  ),
  'cardOrders.return': procedure<CardReceipt>()(v.strictObject({ orderId: id, reason: v.picklist(RETURN_REASONS), cutInTwo: confirmed }), STATION_STAFF),
  'cardOrders.block': procedure<BlockRequest>()(
    v.strictObject({ orderId: id, reason: v.picklist(BLOCK_REASONS), reportedBy: text(200), note: v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(500))) }),
    STATION_STAFF,
  ),
  'cardOrders.orderReplacement': procedure<CardOrderSummary>()(v.strictObject({ orderId: id, orderReference: text(100) }), STATION_STAFF),
  'cardOrders.worklist': procedure<CardWorklist>()(v.strictObject({}), STATION_STAFF),
  /** Any card number or HSA-ID, registered here or not: a card issued elsewhere is blocked as soon as possible too. */
  'blockRequests.create': procedure<BlockRequest>()(
    v.union([v.strictObject({ cardNumber, hsaId: v.optional(hsaId), ...blockReport }), v.strictObject({ hsaId, ...blockReport })]),
    STATION_STAFF,
  ),
  /** Staff blocked the card in SITHS eID-portalen: the portal's reference goes with who and when. */
  'blockRequests.confirm': procedure<BlockRequest>()(v.strictObject({ requestId: id, portalReference: text(100) }), STATION_STAFF),
  'blockRequests.close': procedure<BlockRequest>()(v.strictObject({ requestId: id }), STATION_STAFF),
  'blockRequests.list': procedure<BlockRequest[]>()(
    v.strictObject({ from: v.optional(isoDate), to: v.optional(isoDate), openOnly: v.optional(v.boolean()) }),
    STATION_STAFF,
  ),
  'blockRequests.csv': procedure<{ fileName: string; csv: string }>()(v.strictObject({ from: v.optional(isoDate), to: v.optional(isoDate) }), STATION_STAFF),
  // the card test at the counter needs no login; it learns only whether a block was requested for the card and whether it is done;
  // the HSA-ID is the card's own, matched as it is: refusing an odd one would hide the block
  'cards.flags': procedure<CardFlags>()(v.strictObject({ cardSerial: cardNumber, hsaId: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(64))) }), 'anyone'),
} as const;

export const CARD_LIFECYCLE_ERROR_CODES = [
  'card-already-done',
  'card-too-early',
  'card-closed',
  'card-not-handed-over',
  'wrong-station',
  'station-not-registered',
  'id-document-expired',
  'id-document-note-missing',
  'card-test-failed',
  'card-mismatch',
  'card-number-taken',
  'card-unknown',
  'block-request-done',
  'block-request-not-confirmed',
  'block-request-closed',
] as const;
