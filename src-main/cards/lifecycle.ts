// A card's steps at the station: each one checked by the state machine, written with its event and audit entry in one transaction.
import type BetterSqlite3 from 'better-sqlite3';
import type { CardTestReport } from '@shared/card-report';
import type { BlockReason, BlockRequest, CardEvent, CardOrderHistory, CardOrderSummary, CardReceipt, ErrorCode, IdDocumentInput, ReturnReason } from '@shared/contract';
import { transition, type CardAction, type TransitionRefusal } from '@shared/domain/card-lifecycle';
import { checkHandoverCard, checkIdDocument, type HandoverRefusal, mismatchMessage } from '@shared/domain/card-handover';
import { formatPersonalNumber } from '@shared/domain/personnummer';
import { AppError } from '../app-error';
import { appendAudit, type AuditDetails } from '../audit/audit';
import { blockRequestOf } from './reports';
import { createCardStore, toSummary, type OrderRow } from './store';
import type { CardTestService } from './card-tests';
import { queueMail } from '../mail/outbox';
import type { UnitScope } from '../organisation/organisation';

/** Who acts and within which units: the staff id as the audit trail names it. */
export interface Caller {
  actor: string;
  scope: UnitScope;
}

export interface CardLifecycleOptions {
  sqlite: BetterSqlite3.Database;
  cardTests: Pick<CardTestService, 'results' | 'run'>;
  now?: () => Date;
}

interface StepChange {
  columns?: Record<string, string | number | null>;
  details: AuditDetails;
  /** A second event the step leaves, e.g. the queued ready notice. */
  followUp?: { action: string; details: CardEvent['details'] };
}

const REFUSAL_CODES: Record<TransitionRefusal, ErrorCode> = {
  'already-done': 'card-already-done',
  'too-early': 'card-too-early',
  'card-closed': 'card-closed',
  'not-handed-over': 'card-not-handed-over',
};

/** Block requests are kept ten years (DOMAIN). */
const BLOCK_REQUEST_KEEP_YEARS = 10;

const localDate = (instant: Date): string => `${instant.getFullYear()}-${String(instant.getMonth() + 1).padStart(2, '0')}-${String(instant.getDate()).padStart(2, '0')}`;

/** The earliest notAfter of the card's certificates: the day the card stops working. */
function earliestNotAfter(report: CardTestReport): string | null {
  const dates = report.certificates.map((certificate) => certificate.notAfter).sort();
  return dates[0] ?? null;
}

export function createCardLifecycle({ sqlite, cardTests, now = () => new Date() }: CardLifecycleOptions) {
  const store = createCardStore(sqlite);

  function orderOrFail(orderId: number, scope: UnitScope): OrderRow {
    const row = store.order(orderId, scope);
    if (!row) throw new AppError('not-found', `No card order ${orderId}`);
    return row;
  }

  /** Runs one step: re-reads the order inside the transaction, so a step that raced another leaves the card as it was. */
  function step(orderId: number, action: CardAction, caller: Caller, change: (row: OrderRow, at: string, station: string) => StepChange): OrderRow {
    const at = now().toISOString();
    const station = store.stationName();
    sqlite
      .transaction(() => {
        const row = orderOrFail(orderId, caller.scope);
        const next = transition(row.state, action);
        if (!next.ok) throw new AppError(REFUSAL_CODES[next.refusal], `Order ${orderId} is ${row.state}: cannot ${action}`);
        const { columns, details, followUp } = change(row, at, station);
        store.update(orderId, { ...columns, state: next.state, updated_at: at });
        store.addEvent({ orderId, at, action, station, actor: caller.actor, details: details as CardEvent['details'] });
        if (followUp) store.addEvent({ orderId, at, action: followUp.action, station, actor: caller.actor, details: followUp.details });
        appendAudit(sqlite, { station, actor: caller.actor, action: `card.${action}`, subjectType: 'card', subjectId: String(orderId), outcome: 'ok', details: { ...details, from: row.state, to: next.state }, at: new Date(at) });
      })
      .immediate();
    return orderOrFail(orderId, caller.scope);
  }

  /** A refused handover is worth a line in the trail too: who tried which card for whom. */
  function refuse(orderId: number, caller: Caller, code: ErrorCode, message: string, details: AuditDetails): never {
    appendAudit(sqlite, { station: store.stationName(), actor: caller.actor, action: 'card.hand-over', subjectType: 'card', subjectId: String(orderId), outcome: 'refused', details: { refusal: code, ...details } });
    throw new AppError(code, message);
  }

  function handoverRefusalMessage(refusal: HandoverRefusal): string {
    if (refusal.code === 'card-mismatch') return mismatchMessage(refusal);
    if (refusal.code === 'id-document-expired') return `The ID document expired ${refusal.expiry}`;
    return refusal.code === 'card-test-failed' ? 'The card test found errors' : 'Describe the other ID document';
  }

  async function testedCard(reader: string): Promise<CardTestReport> {
    const kept = cardTests.results().find((state) => state.reader === reader);
    return kept?.state === 'done' ? kept.report : cardTests.run(reader);
  }

  /** The outbox row's id, or null when the person has no e-mail address to send to. */
  function queueReadyMail(row: OrderRow, at: string): number | null {
    const contact = sqlite
      .prepare<[number], { email: string | null; address: string | null }>('SELECT p.email, s.address FROM card_order o JOIN person p ON p.id = o.person_id LEFT JOIN station s ON s.id = o.photo_station_id WHERE o.id = ?')
      .get(row.id);
    if (!contact?.email) return null;
    const values = { namn: `${row.first_name} ${row.surname}`, station: row.photo_station_name ?? '', adress: contact.address ?? '', kortnummer: row.card_number ?? '' };
    return queueMail(sqlite, { to: contact.email, template: 'card-ready', values, at: new Date(at) });
  }

  function summary(row: OrderRow): CardOrderSummary {
    return toSummary(row, now(), store.stationName());
  }

  return {
    createOrder(input: { personId: number; orderDate: string; orderReference: string }, caller: Caller, replacesOrderId: number | null = null): CardOrderSummary {
      if (!store.personVisible(input.personId, caller.scope)) throw new AppError('not-found', `No person with id ${input.personId}`);
      const at = now().toISOString();
      const station = store.stationName();
      const id = sqlite
        .transaction(() => {
          const orderId = store.insertOrder({ ...input, replacesOrderId, at });
          const details = { orderDate: input.orderDate, orderReference: input.orderReference, replacesOrderId };
          store.addEvent({ orderId, at, action: 'order', station, actor: caller.actor, details });
          appendAudit(sqlite, { station, actor: caller.actor, action: 'card.ordered', subjectType: 'card', subjectId: String(orderId), outcome: 'ok', details: { personId: input.personId, ...details }, at: new Date(at) });
          return orderId;
        })
        .immediate();
      return summary(orderOrFail(id, caller.scope));
    },

    photograph(orderId: number, caller: Caller): CardOrderSummary {
      const stationId = store.stationId(store.stationName());
      if (stationId === undefined) throw new AppError('station-not-registered', `Register this station ("${store.stationName()}") among the stations first`);
      return summary(step(orderId, 'photograph', caller, (_row, at) => ({ columns: { photo_station_id: stationId, photographed_by: caller.actor, photographed_at: at }, details: { stationId } })));
    },

    produce(orderId: number, cardNumber: string, caller: Caller): CardOrderSummary {
      return summary(
        step(orderId, 'produce', caller, () => {
          if (store.orderByCardNumber(cardNumber, { kind: 'all' })) throw new AppError('card-number-taken', `Card number ${cardNumber} belongs to another order`);
          return { columns: { card_number: cardNumber }, details: { cardNumber } };
        }),
      );
    },

    /** The pickup notice is queued in the step's own transaction: the card is ready exactly when its e-mail exists. */
    markReady(orderId: number, caller: Caller): CardOrderSummary {
      return summary(step(orderId, 'mark-ready', caller, (row, at) => ({ columns: { ready_at: at }, details: {}, followUp: { action: 'notify.ready', details: { station: row.photo_station_name, mailId: queueReadyMail(row, at) } } })));
    },

    ordersOfPerson(personId: number, caller: Caller): CardOrderHistory[] {
      if (!store.personVisible(personId, caller.scope)) throw new AppError('not-found', `No person with id ${personId}`);
      return store.ordersOfPerson(personId).map((row) => ({ ...summary(row), events: store.events(row.id) }));
    },

    async lookup(by: { reader: string } | { cardNumber: string }, caller: Caller): Promise<CardOrderSummary> {
      const cardNumber = 'cardNumber' in by ? by.cardNumber : (await testedCard(by.reader)).cardSerial;
      const row = cardNumber ? store.orderByCardNumber(cardNumber, caller.scope) : undefined;
      if (!row) throw new AppError('card-unknown', `No order for card ${cardNumber ?? '(unreadable)'}`);
      return summary(row);
    },

    async handover(input: { orderId: number; reader: string; idDocument: IdDocumentInput }, caller: Caller): Promise<CardReceipt> {
      const row = orderOrFail(input.orderId, caller.scope);
      const allowed = transition(row.state, 'hand-over');
      if (!allowed.ok) refuse(row.id, caller, REFUSAL_CODES[allowed.refusal], `Order ${row.id} is ${row.state}`, { state: row.state });
      const station = store.stationName();
      if (row.photo_station_name !== station) refuse(row.id, caller, 'wrong-station', `The card is collected at ${row.photo_station_name ?? '(no photo yet)'}`, { photoStation: row.photo_station_name });
      const documentRefusal = checkIdDocument(input.idDocument, localDate(now()));
      if (documentRefusal) refuse(row.id, caller, documentRefusal.code, handoverRefusalMessage(documentRefusal), { documentType: input.idDocument.type });
      const report = await testedCard(input.reader);
      const cardRefusal = checkHandoverCard(report, { cardNumber: row.card_number ?? '', hsaId: row.hsa_id, firstName: row.first_name, surname: row.surname });
      if (cardRefusal) refuse(row.id, caller, cardRefusal.code, handoverRefusalMessage(cardRefusal), { cardSerial: report.cardSerial, verdict: report.verdict, ...(cardRefusal.code === 'card-mismatch' ? { field: cardRefusal.field } : {}) });
      const { type, lastFour, expiry, note } = input.idDocument;
      const done = step(row.id, 'hand-over', caller, (current, at) => {
        // a replacement handed over retires the card it replaces, in the same transaction
        const replaced = current.replaces_order_id === null ? undefined : store.order(current.replaces_order_id, { kind: 'all' });
        if (replaced && transition(replaced.state, 'replace').ok) {
          store.update(replaced.id, { state: 'replaced', updated_at: at });
          store.addEvent({ orderId: replaced.id, at, action: 'replace', station, actor: caller.actor, details: { byOrderId: row.id } });
        }
        return {
          columns: { handed_over_at: at, certificates_not_after: earliestNotAfter(report) },
          details: { documentType: type, documentLastFour: lastFour.toUpperCase(), documentExpiry: expiry, documentNote: note, photoMatchesFace: true, sealedLetterBrought: true, cardSerial: report.cardSerial, verdict: report.verdict },
        };
      });
      return {
        kind: 'handover',
        orderId: done.id,
        personName: `${done.first_name} ${done.surname}`,
        personnummer: formatPersonalNumber(done.personnummer),
        cardNumber: done.card_number ?? '',
        at: done.handed_over_at ?? '',
        station,
        staff: store.staffName(caller.actor),
        idDocument: { type, lastFour: lastFour.toUpperCase(), expiry },
        returnReason: null,
      };
    },

    returnCard(orderId: number, reason: ReturnReason, caller: Caller): CardReceipt {
      let at = '';
      const done = step(orderId, 'return', caller, (_row, when) => ((at = when), { details: { reason, cutInTwo: true } }));
      return {
        kind: 'return',
        orderId,
        personName: `${done.first_name} ${done.surname}`,
        personnummer: formatPersonalNumber(done.personnummer),
        cardNumber: done.card_number ?? '',
        at,
        station: store.stationName(),
        staff: store.staffName(caller.actor),
        idDocument: null,
        returnReason: reason,
      };
    },

    block(input: { orderId: number; reason: BlockReason; reportedBy: string; note: string | null }, caller: Caller): BlockRequest {
      let requestId = 0;
      step(input.orderId, 'block', caller, (row, at, station) => {
        const keepUntil = new Date(at);
        keepUntil.setUTCFullYear(keepUntil.getUTCFullYear() + BLOCK_REQUEST_KEEP_YEARS);
        requestId = Number(
          sqlite
            .prepare(
              `INSERT INTO block_request (order_id, card_number, reason, reported_by, note, at, station, staff, keep_until)
               VALUES (@orderId, @cardNumber, @reason, @reportedBy, @note, @at, @station, @staff, @keepUntil)`,
            )
            .run({ ...input, cardNumber: row.card_number ?? '', at, station, staff: caller.actor, keepUntil: keepUntil.toISOString() }).lastInsertRowid,
        );
        return { details: { reason: input.reason, reportedBy: input.reportedBy, cardNumber: row.card_number } };
      });
      return blockRequestOf(sqlite, requestId);
    },

    orderReplacement(orderId: number, orderReference: string, caller: Caller): CardOrderSummary {
      const old = orderOrFail(orderId, caller.scope);
      if (!['handed-over', 'blocked', 'returned'].includes(old.state)) throw new AppError('card-not-handed-over', `Order ${orderId} is ${old.state}: nothing to replace`);
      return this.createOrder({ personId: old.person_id, orderDate: localDate(now()), orderReference }, caller, orderId);
    },

    /** Keeps the certificates' end date of a known card from every completed card test. */
    recordCardTest(report: CardTestReport): void {
      const notAfter = earliestNotAfter(report);
      if (report.outcome !== 'complete' || !report.cardSerial || notAfter === null) return;
      sqlite.prepare('UPDATE card_order SET certificates_not_after = ? WHERE card_number = ? COLLATE NOCASE').run(notAfter, report.cardSerial);
    },
  };
}

export type CardLifecycle = ReturnType<typeof createCardLifecycle>;
