// A card's steps at the station: each one checked by the state machine, written with its event and audit entry in one transaction.
import type { CardTestReport } from '@shared/card-report';
import type { BlockReason, BlockRequest, CardEvent, CardOrderHistory, CardOrderSummary, CardReceipt, ErrorCode, IdDocumentInput, ReturnReason } from '@shared/contract';
import { transition, type CardAction, type TransitionRefusal } from '@shared/domain/card-lifecycle';
import { checkHandoverCard, checkIdDocument, type HandoverRefusal, mismatchMessage } from '@shared/domain/card-handover';
import { formatPersonalNumber } from '@shared/domain/personnummer';
import { AppError } from '../app-error';
import { appendAfterSeenTip, appendAudit, type AuditDetails, type SeenTip } from '../audit/audit';
import { lockForUpdate, type Db } from '../db/data-layer';
import { blockRequestOf, keepUntil } from './block-requests';
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
  db: Db;
  cardTests: Pick<CardTestService, 'results' | 'run'>;
  now?: () => Date;
}

interface StepChange {
  columns?: Record<string, string | number | null>;
  details: AuditDetails;
  /** What the audit row keeps when it must not be the event's details: free text and ID-document facts stay in the event, which erasure can clear, never in the hashed trail. */
  auditDetails?: AuditDetails;
  /** A second event the step leaves, e.g. the queued ready notice. */
  followUp?: { action: string; details: CardEvent['details'] };
}

/** A step's own work on the order it read: may run twice (a retried transaction), so database work only. */
type StepWork = (row: OrderRow, at: string, station: string) => Promise<StepChange>;

const REFUSAL_CODES: Record<TransitionRefusal, ErrorCode> = {
  'already-done': 'card-already-done',
  'too-early': 'card-too-early',
  'card-closed': 'card-closed',
  'not-handed-over': 'card-not-handed-over',
};

/** A step found the order changed since the caller read it: the step starts over from a locked read. */
class OrderChangedMeanwhile extends Error {}

const localDate = (instant: Date): string => `${instant.getFullYear()}-${String(instant.getMonth() + 1).padStart(2, '0')}-${String(instant.getDate()).padStart(2, '0')}`;

/** The earliest notAfter of the card's certificates: the day the card stops working. */
function earliestNotAfter(report: CardTestReport): string | null {
  const dates = report.certificates.map((certificate) => certificate.notAfter).sort();
  return dates[0] ?? null;
}

export function createCardLifecycle({ db, cardTests, now = () => new Date() }: CardLifecycleOptions) {
  const store = createCardStore(db);

  async function orderOrFail(orderId: number, scope: UnitScope): Promise<OrderRow> {
    const row = await store.order(orderId, scope);
    if (!row) throw new AppError('not-found', `No card order ${orderId}`);
    return row;
  }

  /** What a step writes: checked by the state machine, then the order's new columns, its event and its audit entry. */
  async function planStep(row: OrderRow, action: CardAction, caller: Caller, change: StepWork, at: string, station: string) {
    const next = transition(row.state, action);
    if (!next.ok) throw new AppError(REFUSAL_CODES[next.refusal], `Order ${row.id} is ${row.state}: cannot ${action}`);
    const { columns, details, auditDetails, followUp } = await change(row, at, station);
    const changes = { ...columns, state: next.state, updated_at: at };
    const event = { orderId: row.id, at, action, station, actor: caller.actor, details: details as CardEvent['details'] };
    const audit = { station, actor: caller.actor, action: `card.${action}`, subjectType: 'card' as const, subjectId: String(row.id), outcome: 'ok' as const, details: { ...(auditDetails ?? details), from: row.state, to: next.state }, at: new Date(at) };
    return { changes, event, audit, followUp };
  }

  /**
   * Runs one step: reads the order and writes the step in one transaction, so of two stations taking the same step on
   * the same card one wins and the other is refused. `change` may run twice (a retried transaction): database work only.
   * Resolves to the order as the step left it: the row it read with the step's columns; joined names (the photo
   * station, the photographer) are as they were before the step.
   *
   * `read`: the order as the caller just read it, outside the transaction; the step then writes only if no one has
   * changed the order since (one round trip instead of a locked read), and otherwise starts over from a locked read.
   * With the audit chain's tip read alongside (`read.auditTip`) there is no transaction at all: the step, its event and
   * its audit row are one statement, so `change` must then write nothing itself.
   * `rowLocks: false` for a change that decides on rows it cannot lock (a search): SERIALIZABLE then guards it.
   */
  async function step(orderId: number, action: CardAction, caller: Caller, change: StepWork, { rowLocks = true, read }: { rowLocks?: boolean; read?: OrderRow & { auditTip?: SeenTip } } = {}): Promise<OrderRow> {
    const at = now().toISOString();
    const station = await store.stationName();
    if (read?.auditTip) {
      const plan = await planStep(read, action, caller, change, at, station);
      const append = plan.followUp ? undefined : appendAfterSeenTip(db, plan.audit, read.auditTip);
      // the chain or the order moved since the read (or the chain has no head yet): the locked way decides
      if (append && (await store.advanceAudited(read, plan.changes, plan.event, append))) return { ...read, ...plan.changes } as OrderRow;
      return step(orderId, action, caller, change, { rowLocks });
    }
    // one order's state machine: its row locked, the step waits for another station's step rather than fail on SSI
    const done = await db.transaction(async () => {
      const row = read ?? (await store.lockedOrder(orderId, caller.scope));
      if (!row) throw new AppError('not-found', `No card order ${orderId}`);
      const { changes, event, audit, followUp } = await planStep(row, action, caller, change, at, station);
      // what `change` wrote from a row that is no longer so is undone with the transaction
      if (!(await store.advance(row, changes, event))) throw new OrderChangedMeanwhile();
      if (followUp) await store.addEvent({ ...event, action: followUp.action, details: followUp.details });
      await appendAudit(db, audit);
      return { ...row, ...changes } as OrderRow;
    }, { rowLocks }).catch((error: unknown) => {
      if (error instanceof OrderChangedMeanwhile && read) return null;
      throw error;
    });
    return done ?? step(orderId, action, caller, change, { rowLocks });
  }

  /** A refused handover is worth a line in the trail too: who tried which card for whom. */
  async function refuse(orderId: number, caller: Caller, code: ErrorCode, message: string, details: AuditDetails): Promise<never> {
    await appendAudit(db, { station: await store.stationName(), actor: caller.actor, action: 'card.hand-over', subjectType: 'card', subjectId: String(orderId), outcome: 'refused', details: { refusal: code, ...details } });
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
  async function queueReadyMail(row: OrderRow, at: string): Promise<number | null> {
    const contact = await db.one<{ email: string | null; address: string | null }>(
      'SELECT p.email, s.address FROM card_order o JOIN person p ON p.id = o.person_id LEFT JOIN station s ON s.id = o.photo_station_id WHERE o.id = ?',
      [row.id],
    );
    if (!contact?.email) return null;
    const values = { namn: `${row.first_name} ${row.surname}`, station: row.photo_station_name ?? '', adress: contact.address ?? '', kortnummer: row.card_number ?? '' };
    return queueMail(db, { to: contact.email, template: 'card-ready', values, at: new Date(at) });
  }

  async function summary(row: OrderRow): Promise<CardOrderSummary> {
    return toSummary(row, now(), await store.stationName());
  }

  return {
    async createOrder(input: { personId: number; orderDate: string; orderReference: string }, caller: Caller, replacesOrderId: number | null = null): Promise<CardOrderSummary> {
      if (!(await store.personVisible(input.personId, caller.scope))) throw new AppError('not-found', `No person with id ${input.personId}`);
      const at = now().toISOString();
      const station = await store.stationName();
      const id = await db.transaction(async () => {
        const orderId = await store.insertOrder({ ...input, replacesOrderId, at });
        const details = { orderDate: input.orderDate, orderReference: input.orderReference, replacesOrderId };
        await store.addEvent({ orderId, at, action: 'order', station, actor: caller.actor, details });
        await appendAudit(db, { station, actor: caller.actor, action: 'card.ordered', subjectType: 'card', subjectId: String(orderId), outcome: 'ok', details: { personId: input.personId, ...details }, at: new Date(at) });
        return orderId;
      });
      return summary(await orderOrFail(id, caller.scope));
    },

    async photograph(orderId: number, caller: Caller): Promise<CardOrderSummary> {
      const station = await store.stationName();
      const stationId = await store.stationId(station);
      if (stationId === undefined) throw new AppError('station-not-registered', `Register this station ("${station}") among the stations first`);
      await step(orderId, 'photograph', caller, async (_row, at) => ({ columns: { photo_station_id: stationId, photographed_by: caller.actor, photographed_at: at }, details: { stationId } }));
      // read again: the summary names the photo station and the photographer, which the step only gave ids for
      return summary(await orderOrFail(orderId, caller.scope));
    },

    async produce(orderId: number, cardNumber: string, caller: Caller): Promise<CardOrderSummary> {
      return summary(
        await step(orderId, 'produce', caller, async () => {
          if (await store.orderByCardNumber(cardNumber, { kind: 'all' })) throw new AppError('card-number-taken', `Card number ${cardNumber} belongs to another order`);
          return { columns: { card_number: cardNumber }, details: { cardNumber } };
        }, { rowLocks: false }),
      );
    },

    /** The pickup notice is queued in the step's own transaction: the card is ready exactly when its e-mail exists. */
    async markReady(orderId: number, caller: Caller): Promise<CardOrderSummary> {
      return summary(
        await step(orderId, 'mark-ready', caller, async (row, at) => ({ columns: { ready_at: at }, details: {}, followUp: { action: 'notify.ready', details: { station: row.photo_station_name, mailId: await queueReadyMail(row, at) } } })),
      );
    },

    async ordersOfPerson(personId: number, caller: Caller): Promise<CardOrderHistory[]> {
      if (!(await store.personVisible(personId, caller.scope))) throw new AppError('not-found', `No person with id ${personId}`);
      const rows = await store.ordersOfPerson(personId);
      return Promise.all(rows.map(async (row) => ({ ...(await summary(row)), events: await store.events(row.id) })));
    },

    async lookup(by: { reader: string } | { cardNumber: string }, caller: Caller): Promise<CardOrderSummary> {
      const cardNumber = 'cardNumber' in by ? by.cardNumber : (await testedCard(by.reader)).cardSerial;
      const row = cardNumber ? await store.orderByCardNumber(cardNumber, caller.scope) : undefined;
      if (!row) throw new AppError('card-unknown', `No order for card ${cardNumber ?? '(unreadable)'}`);
      return summary(row);
    },

    async handover(input: { orderId: number; reader: string; idDocument: IdDocumentInput }, caller: Caller): Promise<CardReceipt> {
      const station = await store.stationName();
      const row = await store.orderAtCounter(input.orderId, caller.scope, caller.actor, station);
      if (!row) throw new AppError('not-found', `No card order ${input.orderId}`);
      const allowed = transition(row.state, 'hand-over');
      if (!allowed.ok) await refuse(row.id, caller, REFUSAL_CODES[allowed.refusal], `Order ${row.id} is ${row.state}`, { state: row.state });
      if (row.photo_station_name !== station) await refuse(row.id, caller, 'wrong-station', `The card is collected at ${row.photo_station_name ?? '(no photo yet)'}`, { photoStation: row.photo_station_name });
      const documentRefusal = checkIdDocument(input.idDocument, localDate(now()));
      if (documentRefusal) await refuse(row.id, caller, documentRefusal.code, handoverRefusalMessage(documentRefusal), { documentType: input.idDocument.type });
      const report = await testedCard(input.reader);
      const cardRefusal = checkHandoverCard(report, { cardNumber: row.card_number ?? '', hsaId: row.hsa_id, firstName: row.first_name, surname: row.surname });
      if (cardRefusal) await refuse(row.id, caller, cardRefusal.code, handoverRefusalMessage(cardRefusal), { cardSerial: report.cardSerial, verdict: report.verdict, ...(cardRefusal.code === 'card-mismatch' ? { field: cardRefusal.field } : {}) });
      const { type, lastFour, expiry, note } = input.idDocument;
      // handed over only if no station has changed the order since it was read here: two stations cannot hand the same card over;
      // a first card's handover writes nothing but its step (one statement), a replacement also retires the old card
      const read = row.replaces_order_id === null ? row : { ...row, auditTip: undefined };
      const done = await step(row.id, 'hand-over', caller, async (current, at) => {
        // a replacement handed over retires the card it replaces, in the same transaction
        if (current.replaces_order_id !== null) await lockForUpdate(db, 'card_order', [current.replaces_order_id]);
        const replaced = current.replaces_order_id === null ? undefined : await store.order(current.replaces_order_id, { kind: 'all' });
        if (replaced && transition(replaced.state, 'replace').ok) {
          await store.update(replaced.id, { state: 'replaced', updated_at: at });
          await store.addEvent({ orderId: replaced.id, at, action: 'replace', station, actor: caller.actor, details: { byOrderId: row.id } });
        }
        return {
          columns: { handed_over_at: at, certificates_not_after: earliestNotAfter(report) },
          details: { documentType: type, documentLastFour: lastFour.toUpperCase(), documentExpiry: expiry, documentNote: note, photoMatchesFace: true, sealedLetterBrought: true, cardSerial: report.cardSerial, verdict: report.verdict },
          auditDetails: { documentType: type, photoMatchesFace: true, sealedLetterBrought: true, cardSerial: report.cardSerial, verdict: report.verdict },
        };
      }, { read });
      return {
        kind: 'handover',
        orderId: done.id,
        personName: `${done.first_name} ${done.surname}`,
        personnummer: formatPersonalNumber(done.personnummer),
        cardNumber: done.card_number ?? '',
        at: done.handed_over_at ?? '',
        station,
        staff: row.staffName,
        idDocument: { type, lastFour: lastFour.toUpperCase(), expiry },
        returnReason: null,
      };
    },

    async returnCard(orderId: number, reason: ReturnReason, caller: Caller): Promise<CardReceipt> {
      let at = '';
      const done = await step(orderId, 'return', caller, async (_row, when) => ((at = when), { details: { reason, cutInTwo: true } }));
      return {
        kind: 'return',
        orderId,
        personName: `${done.first_name} ${done.surname}`,
        personnummer: formatPersonalNumber(done.personnummer),
        cardNumber: done.card_number ?? '',
        at,
        station: await store.stationName(),
        staff: await store.staffName(caller.actor),
        idDocument: null,
        returnReason: reason,
      };
    },

    /** Records the block request: the card is blocked only when staff confirm it was done in SITHS eID-portalen. */
    async block(input: { orderId: number; reason: BlockReason; reportedBy: string; note: string | null; hsaId?: string | null }, caller: Caller): Promise<BlockRequest> {
      let requestId = 0;
      await step(input.orderId, 'block', caller, async (row, at, station) => {
        requestId = await db.insert(
          `INSERT INTO block_request (order_id, card_number, hsa_id, reason, reported_by, note, at, station, staff, keep_until, state)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'requested')`,
          [input.orderId, row.card_number, input.hsaId ?? null, input.reason, input.reportedBy, input.note, at, station, caller.actor, keepUntil(at)],
        );
        return { details: { reason: input.reason, reportedBy: input.reportedBy, cardNumber: row.card_number }, auditDetails: { reason: input.reason, cardNumber: row.card_number } };
      });
      return blockRequestOf(db, requestId, caller.scope);
    },

    async orderReplacement(orderId: number, orderReference: string, caller: Caller): Promise<CardOrderSummary> {
      const old = await orderOrFail(orderId, caller.scope);
      if (!['handed-over', 'blocked', 'returned'].includes(old.state)) throw new AppError('card-not-handed-over', `Order ${orderId} is ${old.state}: nothing to replace`);
      return this.createOrder({ personId: old.person_id, orderDate: localDate(now()), orderReference }, caller, orderId);
    },

    /** Keeps the certificates' end date of a known card from every completed card test. */
    async recordCardTest(report: CardTestReport): Promise<void> {
      const notAfter = earliestNotAfter(report);
      if (report.outcome !== 'complete' || !report.cardSerial || notAfter === null) return;
      await db.run('UPDATE card_order SET certificates_not_after = ? WHERE lower(card_number) = lower(?)', [notAfter, report.cardSerial]);
    },
  };
}

export type CardLifecycle = ReturnType<typeof createCardLifecycle>;
