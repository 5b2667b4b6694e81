// Reminders by e-mail: certificates ending within 90 days, and returning card and token before employment ends (30 days).
import type BetterSqlite3 from 'better-sqlite3';
import type { MailTemplateName } from '@shared/domain/mail-templates';
import { queueDueAnchorMail } from '../audit/anchor-mail';
import { EMPLOYMENT_FOLLOW_UP_DAYS, EXPIRY_FOLLOW_UP_DAYS } from '../cards/reports';
import { queueMail } from './outbox';

const DAY_MS = 86_400_000;

interface Due {
  occasion: string;
  email: string;
  /** The template's values as a JSON object, built by SQLite. */
  values: string;
}

/** Queues each due reminder once, with its record in the same transaction; returns how many were queued. */
export function queueDueReminders(sqlite: BetterSqlite3.Database, station: string, now: Date): { certificateExpiry: number; returnReminder: number } {
  const today = now.toISOString().slice(0, 10);
  const expiryLimit = `${new Date(now.getTime() + EXPIRY_FOLLOW_UP_DAYS * DAY_MS).toISOString().slice(0, 10)}T23:59:59.999Z`;
  const endLimit = new Date(now.getTime() + EMPLOYMENT_FOLLOW_UP_DAYS * DAY_MS).toISOString().slice(0, 10);
  // the occasion names the date too: a renewed certificate or a changed end date is a new occasion
  const expiring = sqlite
    .prepare<{ today: string; expiryLimit: string }, Due>(
      `SELECT 'card:' || o.id || ':' || substr(o.certificates_not_after, 1, 10) AS occasion, p.email,
              json_object('namn', p.first_name || ' ' || p.surname, 'kortnummer', COALESCE(o.card_number, ''), 'slutdatum', substr(o.certificates_not_after, 1, 10)) AS "values"
       FROM card_order o JOIN person p ON p.id = o.person_id
       WHERE o.state = 'handed-over' AND p.email IS NOT NULL AND o.certificates_not_after >= @today AND o.certificates_not_after <= @expiryLimit`,
    )
    .all({ today, expiryLimit });
  const leaving = sqlite
    .prepare<{ today: string; endLimit: string; station: string }, Due>(
      `SELECT 'person:' || p.id || ':' || p.employment_end AS occasion, p.email,
              json_object('namn', p.first_name || ' ' || p.surname, 'anstallningSlut', p.employment_end, 'station', @station) AS "values"
       FROM person p
       WHERE p.email IS NOT NULL AND p.employment_end >= @today AND p.employment_end <= @endLimit
         AND (EXISTS (SELECT 1 FROM card_order o WHERE o.person_id = p.id AND o.state = 'handed-over') OR EXISTS (SELECT 1 FROM token t WHERE t.person_id = p.id AND t.state = 'issued'))`,
    )
    .all({ today, endLimit, station });
  const reminded = sqlite.prepare<[string, string], { outbox_id: number }>('SELECT outbox_id FROM mail_reminder WHERE template = ? AND occasion = ?');
  const record = sqlite.prepare('INSERT INTO mail_reminder (template, occasion, outbox_id) VALUES (?, ?, ?)');
  const queueAll = (template: MailTemplateName, due: Due[]): number =>
    sqlite
      .transaction(() => {
        let queued = 0;
        for (const { occasion, email, values } of due) {
          if (reminded.get(template, occasion)) continue;
          record.run(template, occasion, queueMail(sqlite, { to: email, template, values: JSON.parse(values) as Record<string, string>, at: now }));
          queued++;
        }
        return queued;
      })
      .immediate();
  return { certificateExpiry: queueAll('certificate-expiry', expiring), returnReminder: queueAll('return-reminder', leaving) };
}

const HOUR_MS = 3_600_000;

/** Looks for due reminders and the day's audit anchor a minute after start and then every hour; the timers never keep a closing process alive. */
export function startReminders(sqlite: BetterSqlite3.Database, station: () => string, now: () => Date): () => void {
  const run = (): void => {
    try {
      queueDueReminders(sqlite, station(), now());
    } catch (error) {
      console.error('[reminders] queueing failed:', error);
    }
    try {
      queueDueAnchorMail(sqlite, station(), now());
    } catch (error) {
      console.error('[audit anchor] queueing failed:', error);
    }
  };
  const first = setTimeout(run, 60_000);
  const hourly = setInterval(run, HOUR_MS);
  first.unref();
  hourly.unref();
  return () => {
    clearTimeout(first);
    clearInterval(hourly);
  };
}
