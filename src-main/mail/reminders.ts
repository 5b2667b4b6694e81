// Reminders by e-mail: certificates ending within 90 days, and returning card and token before employment ends (30 days).
import type { MailTemplateName } from '@shared/domain/mail-templates';
import { queueDueAnchorMail } from '../audit/anchor-mail';
import { EMPLOYMENT_FOLLOW_UP_DAYS, EXPIRY_FOLLOW_UP_DAYS } from '../cards/reports';
import type { Db } from '../db/data-layer';
import type { StationName } from '../organisation/station-label';
import { queueMail } from './outbox';

const DAY_MS = 86_400_000;

interface Due {
  occasion: string;
  email: string;
  values: Record<string, string>;
}

interface ExpiringCard {
  id: number;
  email: string;
  name: string;
  card_number: string | null;
  not_after: string;
}

interface LeavingPerson {
  id: number;
  email: string;
  name: string;
  employment_end: string;
}

/** Queues each due reminder once, with its record in the same transaction; returns how many were queued. */
export async function queueDueReminders(db: Db, station: string, now: Date): Promise<{ certificateExpiry: number; returnReminder: number }> {
  const today = now.toISOString().slice(0, 10);
  const expiryLimit = `${new Date(now.getTime() + EXPIRY_FOLLOW_UP_DAYS * DAY_MS).toISOString().slice(0, 10)}T23:59:59.999Z`;
  const endLimit = new Date(now.getTime() + EMPLOYMENT_FOLLOW_UP_DAYS * DAY_MS).toISOString().slice(0, 10);
  const expiringCards = await db.all<ExpiringCard>(
    `SELECT o.id, p.email, p.first_name || ' ' || p.surname AS name, o.card_number, substr(o.certificates_not_after, 1, 10) AS not_after
     FROM card_order o JOIN person p ON p.id = o.person_id
     WHERE o.state = 'handed-over' AND p.email IS NOT NULL AND o.certificates_not_after >= ? AND o.certificates_not_after <= ?`,
    [today, expiryLimit],
  );
  const leavingPeople = await db.all<LeavingPerson>(
    `SELECT p.id, p.email, p.first_name || ' ' || p.surname AS name, p.employment_end
     FROM person p
     WHERE p.email IS NOT NULL AND p.employment_end >= ? AND p.employment_end <= ?
       AND (EXISTS (SELECT 1 FROM card_order o WHERE o.person_id = p.id AND o.state = 'handed-over') OR EXISTS (SELECT 1 FROM token t WHERE t.person_id = p.id AND t.state = 'issued'))`,
    [today, endLimit],
  );
  // the occasion names the date too: a renewed certificate or a changed end date is a new occasion
  const expiring = expiringCards.map<Due>((card) => ({
    occasion: `card:${card.id}:${card.not_after}`,
    email: card.email,
    values: { namn: card.name, kortnummer: card.card_number ?? '', slutdatum: card.not_after },
  }));
  const leaving = leavingPeople.map<Due>((person) => ({
    occasion: `person:${person.id}:${person.employment_end}`,
    email: person.email,
    values: { namn: person.name, anstallningSlut: person.employment_end, station },
  }));
  const queueAll = (template: MailTemplateName, due: Due[]): Promise<number> =>
    db.transaction(async () => {
      let queued = 0;
      for (const { occasion, email, values } of due) {
        if (await db.one('SELECT outbox_id FROM mail_reminder WHERE template = ? AND occasion = ?', [template, occasion])) continue;
        const outboxId = await queueMail(db, { to: email, template, values, at: now });
        await db.run('INSERT INTO mail_reminder (template, occasion, outbox_id) VALUES (?, ?, ?)', [template, occasion, outboxId]);
        queued++;
      }
      return queued;
    });
  return { certificateExpiry: await queueAll('certificate-expiry', expiring), returnReminder: await queueAll('return-reminder', leaving) };
}

const HOUR_MS = 3_600_000;

/** Looks for due reminders and the day's audit anchor a minute after start and then every hour; the timers never keep a closing process alive. */
export function startReminders(db: Db, station: StationName, now: () => Date): () => void {
  const run = async (): Promise<void> => {
    try {
      await queueDueReminders(db, await station(), now());
    } catch (error) {
      console.error('[reminders] queueing failed:', error);
    }
    try {
      await queueDueAnchorMail(db, await station(), now());
    } catch (error) {
      console.error('[audit anchor] queueing failed:', error);
    }
  };
  // a timer callback cannot wait: run() reports its own failures
  const first = setTimeout(() => void run(), 60_000);
  const hourly = setInterval(() => void run(), HOUR_MS);
  first.unref();
  hourly.unref();
  return () => {
    clearTimeout(first);
    clearInterval(hourly);
  };
}
