// Erasure of a person (GDPR art. 17 and the retention rules): their personal data replaced by a pseudonym, the ids that tie cards, tokens, charges and the audit trail together kept.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ErasureReport } from '@shared/contract';
import { AppError } from '../app-error';
import { appendAudit } from '../audit/audit';
import type { AuditedBy } from '../audit/audited-by';
import type { Db } from '../db/data-layer';
import { searchKey } from '../people/person-fields';

/**
 * Why the trail stays provable: audit rows name a person only by id (subject 'person', details.personId), card order
 * ids and card numbers, never by name, personnummer, e-mail or mobile (the handover's ID-document facts and a block's
 * reporter are kept out of the hashed row, see cards/lifecycle.ts). Erasure therefore rewrites no audit row.
 */

/** Card states in which the person still holds, or is about to be given, a working card. */
const LIVE_CARD_STATES = ['ordered', 'photographed', 'produced', 'ready', 'handed-over'];
/** Keys of card events that hold the ID document shown or free text that may name the person. */
const PERSONAL_EVENT_KEYS = ['documentLastFour', 'documentExpiry', 'documentNote', 'reportedBy'];
/** What stays of who reported a block request that must be kept ten years (Inera): that someone did. */
export const ERASED_TEXT = 'borttaget';

/**
 * An erased person's personnummer: twelve digits, so every screen and report that formats one still works, in year
 * 0000 and month 00, which no real personnummer or samordningsnummer has, so it is unique and never anyone's.
 */
export const ERASED_PERSONNUMMER_PREFIX = '0000';
export const erasedPersonnummer = (personId: number): string => `${ERASED_PERSONNUMMER_PREFIX}${String(personId).padStart(8, '0')}`;
/** The name an erased person keeps: tied to nothing but the id the rest of the register already holds. */
export const pseudonymOf = (personId: number): string => `Borttagen person ${personId}`;

/** Whether the person still holds a card or a token: then they are not erased. */
export async function holdsCardOrToken(db: Db, personId: number): Promise<boolean> {
  const cards = await db.value<number>(`SELECT count(*) FROM card_order WHERE person_id = ? AND state IN (${LIVE_CARD_STATES.map(() => '?').join(', ')})`, [personId, ...LIVE_CARD_STATES]);
  const tokens = await db.value<number>("SELECT count(*) FROM token WHERE person_id = ? AND state = 'issued'", [personId]);
  return Number(cards) + Number(tokens) > 0;
}

async function clearCardEvents(db: Db, personId: number): Promise<number> {
  const events = await db.all<{ id: number; details: string }>('SELECT e.id, e.details FROM card_event e JOIN card_order o ON o.id = e.order_id WHERE o.person_id = ? AND e.details IS NOT NULL', [personId]);
  let cleared = 0;
  for (const event of events) {
    const details = JSON.parse(event.details) as Record<string, unknown>;
    if (!PERSONAL_EVENT_KEYS.some((key) => key in details)) continue;
    for (const key of PERSONAL_EVENT_KEYS) delete details[key];
    await db.run('UPDATE card_event SET details = ? WHERE id = ?', [JSON.stringify(details), event.id]);
    cleared++;
  }
  return cleared;
}

/** Replaces one person's personal data in one transaction; within the transaction's work only, so it is safe to repeat. */
export async function erasePersonRows(db: Db, personId: number, by: AuditedBy): Promise<ErasureReport> {
  const person = await db.one<{ email: string | null; personnummer: string }>('SELECT email, personnummer FROM person WHERE id = ?', [personId]);
  if (!person) throw new AppError('not-found', `No person with id ${personId}`);
  if (await holdsCardOrToken(db, personId)) throw new AppError('person-holds-card-or-token', 'The person still holds a card or a token: take it back first');
  const pseudonym = pseudonymOf(personId);
  const at = by.now.toISOString();
  const personnummer = erasedPersonnummer(personId);
  const [firstName, surname] = ['Borttagen', `person ${personId}`];
  await db.run(
    `UPDATE person SET first_name = ?, surname = ?, personnummer = ?, hsa_id = NULL, username = NULL, email = NULL, mobile = NULL, employee_number = NULL,
       search_name = ?, search_name_reversed = ?, search_personnummer10 = ?, search_hsa_id = NULL, search_username = NULL, updated_at = ? WHERE id = ?`,
    [firstName, surname, personnummer, searchKey(`${firstName} ${surname}`), searchKey(`${surname} ${firstName}`), personnummer.slice(2), at, personId],
  );
  const cardEventsCleared = await clearCardEvents(db, personId);
  const blockRequestsCleared = await db.run('UPDATE block_request SET reported_by = ?, note = NULL WHERE order_id IN (SELECT id FROM card_order WHERE person_id = ?)', [ERASED_TEXT, personId]);
  let mailsRemoved = 0;
  if (person.email !== null) {
    const outboxIds = await db.column<number>('SELECT id FROM outbox WHERE lower(to_address) = lower(?)', [person.email]);
    for (const id of outboxIds) {
      await db.run('DELETE FROM mail_reminder WHERE outbox_id = ?', [id]);
      mailsRemoved += await db.run('DELETE FROM outbox WHERE id = ?', [id]);
    }
  }
  const report = { personId, pseudonym, cardEventsCleared, blockRequestsCleared, mailsRemoved };
  await appendAudit(db, { station: by.station, actor: by.actor, action: 'person.erased', subjectType: 'person', subjectId: String(personId), outcome: 'ok', details: { cardEventsCleared, blockRequestsCleared, mailsRemoved }, at: by.now });
  return report;
}

const CHECKPOINT_ATTEMPTS = 10;
const CHECKPOINT_WAIT_MS = 200;

/**
 * On SQLite a changed row's old bytes linger in free space of its pages and in the write-ahead log: secure_delete
 * zeroes what is freed, and a truncating checkpoint empties the log, so nothing of the person is left in the files.
 */
export async function withFilesScrubbed<T>(db: Db, work: () => Promise<T>): Promise<T> {
  if (db.engine !== 'sqlite') return work();
  await db.value('PRAGMA secure_delete = ON');
  const result = await work();
  // another process reading an older snapshot keeps the log's old frames alive: wait a little for it, then say so
  for (let attempt = 0; attempt < CHECKPOINT_ATTEMPTS; attempt++) {
    const checkpoint = await db.one<{ busy: number }>('PRAGMA wal_checkpoint(TRUNCATE)');
    if (Number(checkpoint?.busy ?? 0) === 0) return result;
    await sleep(CHECKPOINT_WAIT_MS);
  }
  console.warn('[erasure] the write-ahead log could not be emptied while another process reads the register; it is emptied at its next checkpoint');
  return result;
}

/** Erases one person (refused while they hold a card or token), audited as person.erased. */
export async function erasePerson(db: Db, personId: number, by: AuditedBy): Promise<ErasureReport> {
  return withFilesScrubbed(db, () => db.transaction(() => erasePersonRows(db, personId, by)));
}
