// A person's register extract (GDPR art. 15): everything the register holds about them, and nothing of anyone else.
import type { ExtractAuditEntry, ExtractCard, ExtractEvent, ExtractIdDocument, ExtractToken, RegisterExtract } from '@shared/contract';
import { parsePersonalNumber } from '@shared/domain/personnummer';
import { AppError } from '../app-error';
import { appendAudit } from '../audit/audit';
import type { AuditedBy } from '../audit/audited-by';
import type { Db } from '../db/data-layer';
import type { UnitScope } from '../organisation/organisation';
import { getPerson } from './people';

type Details = Record<string, unknown> | null;
const parsed = (details: string | null): Details => (details === null ? null : (JSON.parse(details) as Record<string, unknown>));

/** Staff ids as their names, so the holder reads who acted; the CLI's "cli:<user>" stays as it is. */
async function staffNames(db: Db): Promise<(actor: string | null) => string | null> {
  const rows = await db.all<{ id: number; display_name: string }>('SELECT id, display_name FROM staff_account');
  const names = new Map(rows.map((row) => [String(row.id), row.display_name]));
  return (actor) => (actor === null ? null : (names.get(actor) ?? actor));
}

/** The person's id for a personnummer as typed (10 or 12 digits); not-found when the register has no such person. */
export async function personIdByPersonnummer(db: Db, personnummer: string): Promise<number> {
  const result = parsePersonalNumber(personnummer);
  if (!result.ok) throw new AppError('invalid-person', `personnummer: ${result.code}`);
  const id = await db.value<number>('SELECT id FROM person WHERE personnummer = ?', [result.normalized12]);
  if (id === undefined) throw new AppError('not-found', 'No person with this personnummer');
  return id;
}

async function cardsOf(db: Db, personId: number, name: (actor: string | null) => string | null): Promise<ExtractCard[]> {
  const orders = await db.all<{ id: number; order_date: string; order_reference: string; state: string; card_number: string | null; photographed_at: string | null; ready_at: string | null; handed_over_at: string | null; certificates_not_after: string | null }>(
    'SELECT id, order_date, order_reference, state, card_number, photographed_at, ready_at, handed_over_at, certificates_not_after FROM card_order WHERE person_id = ? ORDER BY id',
    [personId],
  );
  return Promise.all(
    orders.map(async (order) => {
      const events = await db.all<{ at: string; action: string; station: string; actor: string | null; details: string | null }>('SELECT at, action, station, actor, details FROM card_event WHERE order_id = ? ORDER BY id', [order.id]);
      const blocks = await db.all<{ at: string; reason: string; reported_by: string; note: string | null; station: string; keep_until: string }>(
        'SELECT at, reason, reported_by, note, station, keep_until FROM block_request WHERE order_id = ? ORDER BY id',
        [order.id],
      );
      return {
        orderId: order.id,
        orderDate: order.order_date,
        orderReference: order.order_reference,
        state: order.state,
        cardNumber: order.card_number,
        photographedAt: order.photographed_at,
        readyAt: order.ready_at,
        handedOverAt: order.handed_over_at,
        certificatesNotAfter: order.certificates_not_after,
        events: events.map((event) => ({ at: event.at, action: event.action, station: event.station, actor: name(event.actor), details: parsed(event.details) })),
        blockRequests: blocks.map((block) => ({ at: block.at, reason: block.reason, reportedBy: block.reported_by, note: block.note, station: block.station, keepUntil: block.keep_until })),
      };
    }),
  );
}

/** The ID-document facts noted at each handover, read from the handover events where they are kept. */
function idDocumentsOf(cards: ExtractCard[]): ExtractIdDocument[] {
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  return cards.flatMap((card) =>
    card.events
      .filter((event) => event.action === 'hand-over' && event.details !== null)
      .map((event) => ({ at: event.at, orderId: card.orderId, type: text(event.details!.documentType), lastFour: text(event.details!.documentLastFour), expiry: text(event.details!.documentExpiry), note: text(event.details!.documentNote) })),
  );
}

/** Tokens the person holds or held: only the events that name them, since a token passes from holder to holder. */
async function tokensOf(db: Db, personId: number, name: (actor: string | null) => string | null): Promise<ExtractToken[]> {
  const rows = await db.all<{ id: number; serial: string; category: string | null; person_id: number | null }>(
    'SELECT id, serial, category, person_id FROM token WHERE person_id = ? OR id IN (SELECT token_id FROM token_event WHERE person_id = ?) ORDER BY serial',
    [personId, personId],
  );
  return Promise.all(
    rows.map(async (token) => {
      const events = await db.all<{ at: string; action: string; actor: string | null; details: string | null }>('SELECT at, action, actor, details FROM token_event WHERE token_id = ? AND person_id = ? ORDER BY id', [token.id, personId]);
      return { serial: token.serial, category: token.category, held: token.person_id === personId, events: events.map((event): ExtractEvent => ({ at: event.at, action: event.action, actor: name(event.actor), details: parsed(event.details) })) };
    }),
  );
}

/**
 * Audit rows naming the person: their record (subject person), their card orders, their card numbers (PIN work at the
 * counter), and token rows whose details name them: a token's rows from another holder's time are left out.
 */
async function auditOf(db: Db, personId: number, cards: ExtractCard[], name: (actor: string | null) => string | null): Promise<ExtractAuditEntry[]> {
  const cardSubjects = cards.flatMap((card) => [String(card.orderId), ...(card.cardNumber === null ? [] : [card.cardNumber.toLowerCase()])]);
  const tokenSerials = await db.column<string>('SELECT DISTINCT t.serial FROM token t JOIN token_event e ON e.token_id = t.id WHERE e.person_id = ?', [personId]);
  const marks = (values: readonly string[]) => values.map(() => '?').join(', ') || 'NULL';
  const rows = await db.all<{ id: number; at: string; station: string; actor: string | null; action: string; outcome: string; subject_type: string | null; subject_id: string | null; details: string | null }>(
    `SELECT id, at, station, actor, action, outcome, subject_type, subject_id, details FROM audit_entry
     WHERE (subject_type = 'person' AND subject_id = ?)
        OR (subject_type = 'card' AND lower(subject_id) IN (${marks(cardSubjects)}))
        OR (subject_type = 'token' AND subject_id IN (${marks(tokenSerials)}))
     ORDER BY id`,
    [String(personId), ...cardSubjects, ...tokenSerials],
  );
  return rows.flatMap((row) => {
    const details = parsed(row.details);
    if (row.subject_type === 'token' && details?.personId !== personId) return [];
    return [{ id: row.id, at: row.at, station: row.station, actor: name(row.actor), action: row.action, outcome: row.outcome, subjectType: row.subject_type, subjectId: row.subject_id, details }];
  });
}

/** Everything held about one person within the caller's units; the extract is written to the trail before it is handed out. */
export async function extractPerson(db: Db, scope: UnitScope, personId: number, by: AuditedBy): Promise<RegisterExtract> {
  const record = (outcome: 'ok' | 'refused') => appendAudit(db, { station: by.station, actor: by.actor, action: 'person.extracted', subjectType: 'person', subjectId: String(personId), outcome, at: by.now });
  let detail;
  try {
    detail = await getPerson(db, scope, personId);
  } catch (error) {
    if (error instanceof AppError) await record('refused');
    throw error;
  }
  // the extract's own row comes first, so the holder sees that this extract was made
  await record('ok');
  const times = (await db.one<{ created_at: string; updated_at: string }>('SELECT created_at, updated_at FROM person WHERE id = ?', [personId]))!;
  const name = await staffNames(db);
  const cards = await cardsOf(db, personId, name);
  const charges = await db.all<{ at: string; month: string; kind: string; amount_ore: number; reference: string | null; serial: string | null }>(
    'SELECT c.at, c.month, c.kind, c.amount_ore, c.reference, t.serial FROM charge c LEFT JOIN token t ON t.id = c.token_id WHERE c.person_id = ? ORDER BY c.id',
    [personId],
  );
  const mails = detail.email === null ? [] : await db.all<{ created_at: string; sent_at: string | null; state: string; to_address: string; subject: string; body: string }>(
    'SELECT created_at, sent_at, state, to_address, subject, body FROM outbox WHERE lower(to_address) = lower(?) ORDER BY id',
    [detail.email],
  );
  return {
    producedAt: by.now.toISOString(),
    station: by.station,
    person: {
      id: detail.id,
      firstName: detail.firstName,
      surname: detail.surname,
      personnummer: detail.personnummer,
      hsaId: detail.hsaId,
      username: detail.username,
      email: detail.email,
      mobile: detail.mobile,
      employmentType: detail.employmentType,
      employmentEnd: detail.employmentEnd,
      employeeNumber: detail.employeeNumber,
      createdAt: times.created_at,
      updatedAt: times.updated_at,
    },
    units: detail.units,
    cards,
    idDocuments: idDocumentsOf(cards),
    tokens: await tokensOf(db, personId, name),
    charges: charges.map((charge) => ({ at: charge.at, month: charge.month, kind: charge.kind, amountOre: Number(charge.amount_ore), reference: charge.reference, tokenSerial: charge.serial })),
    mails: mails.map((mail) => ({ createdAt: mail.created_at, sentAt: mail.sent_at, state: mail.state, to: mail.to_address, subject: mail.subject, body: mail.body })),
    auditEntries: await auditOf(db, personId, cards, name),
  };
}
