// The e-mail outbox: messages queued in the transaction of their cause, delivered by a sender with retries, templates editable by administrators.
import type BetterSqlite3 from 'better-sqlite3';
import nodemailer from 'nodemailer';
import type { MailTemplateInfo, OutboxMessage, OutboxState } from '@shared/contract';
import {
  DEFAULT_MAIL_TEMPLATES,
  describeTemplateProblem,
  MAIL_TEMPLATE_NAMES,
  MAIL_TEMPLATE_VARIABLES,
  problemsOfTemplate,
  renderTemplate,
  type MailTemplateName,
  type MailTemplateText,
} from '@shared/domain/mail-templates';
import { AppError } from '../app-error';
import { appendAudit } from '../audit/audit';

export function templateText(sqlite: BetterSqlite3.Database, name: MailTemplateName): MailTemplateText {
  return sqlite.prepare<[string], MailTemplateText>('SELECT subject, body FROM mail_template WHERE name = ?').get(name) ?? DEFAULT_MAIL_TEMPLATES[name];
}

export interface QueuedMail {
  to: string;
  template: MailTemplateName;
  values: Readonly<Record<string, string>>;
  at: Date;
}

/** Synchronous on purpose: call it inside the transaction of the event, so the message exists exactly when the event does. */
export function queueMail(sqlite: BetterSqlite3.Database, mail: QueuedMail): number {
  const text = templateText(sqlite, mail.template);
  const at = mail.at.toISOString();
  return Number(
    sqlite
      .prepare("INSERT INTO outbox (created_at, to_address, subject, body, template, state, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, 'queued', 0, ?)")
      .run(at, mail.to, renderTemplate(text.subject, mail.values), renderTemplate(text.body, mail.values), mail.template, at).lastInsertRowid,
  );
}

interface OutboxRow {
  id: number;
  created_at: string;
  to_address: string;
  subject: string;
  body: string;
  template: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  sent_at: string | null;
}

const toMessage = (row: OutboxRow): OutboxMessage => ({
  id: row.id,
  createdAt: row.created_at,
  to: row.to_address,
  subject: row.subject,
  template: row.template,
  state: row.state,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  lastError: row.last_error,
  sentAt: row.sent_at,
});

export function listOutbox(sqlite: BetterSqlite3.Database, state?: OutboxState): OutboxMessage[] {
  const rows = state
    ? sqlite.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE state = ? ORDER BY id DESC LIMIT 500').all(state)
    : sqlite.prepare<[], OutboxRow>('SELECT * FROM outbox ORDER BY id DESC LIMIT 500').all();
  return rows.map(toMessage);
}

export function outboxMessage(sqlite: BetterSqlite3.Database, id: number): OutboxMessage {
  const row = sqlite.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?').get(id);
  if (!row) throw new AppError('not-found', `No message ${id}`);
  return toMessage(row);
}

/** Puts a message back in the queue for the next round, with a fresh count of attempts. */
export function resendMessage(sqlite: BetterSqlite3.Database, id: number, now: Date): OutboxMessage {
  const changed = sqlite.prepare("UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ? WHERE id = ? AND state <> 'sent'").run(now.toISOString(), id).changes;
  const message = outboxMessage(sqlite, id);
  if (changed === 0) throw new AppError('mail-already-sent', `Message ${id} was sent already`);
  return message;
}

export function listTemplates(sqlite: BetterSqlite3.Database): MailTemplateInfo[] {
  return MAIL_TEMPLATE_NAMES.map((name) => {
    const edited = sqlite.prepare<[string], MailTemplateText & { updated_at: string }>('SELECT subject, body, updated_at FROM mail_template WHERE name = ?').get(name);
    const text = edited ?? DEFAULT_MAIL_TEMPLATES[name];
    return { name, subject: text.subject, body: text.body, variables: [...MAIL_TEMPLATE_VARIABLES[name]], updatedAt: edited?.updated_at ?? null };
  });
}

/** Refuses a template whose placeholders would not fill: better at save time than in a person's inbox. */
export function saveTemplate(sqlite: BetterSqlite3.Database, input: { name: MailTemplateName } & MailTemplateText, by: { actor: string; station: string; now: Date }): MailTemplateInfo {
  const problems = problemsOfTemplate(input.name, input.subject, input.body).map(({ part, problem }) => (part ? `${part}: ` : '') + describeTemplateProblem(problem));
  if (problems.length > 0) throw new AppError('mail-template-invalid', problems.join('; '));
  const at = by.now.toISOString();
  sqlite
    .transaction(() => {
      sqlite
        .prepare('INSERT INTO mail_template (name, subject, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by')
        .run(input.name, input.subject, input.body, at, by.actor);
      appendAudit(sqlite, { station: by.station, actor: by.actor, action: 'mail.template-saved', outcome: 'ok', details: { template: input.name }, at: by.now });
    })
    .immediate();
  const saved = listTemplates(sqlite).find((template) => template.name === input.name);
  if (!saved) throw new AppError('not-found', `No template ${input.name}`);
  return saved;
}

export interface MailTransportOptions {
  host: string;
  port: number;
  /** true: TLS from the first byte (465); false: plain, upgraded by STARTTLS when the relay offers it. */
  secure: boolean;
  /** Refuse to send unless STARTTLS succeeds. */
  requireStartTls?: boolean;
  auth?: { user: string; pass: string };
}

export interface MailSenderOptions {
  sqlite: BetterSqlite3.Database;
  transport: MailTransportOptions;
  from: string;
  now?: () => Date;
  /** After this many failed attempts a message is marked failed and waits for an administrator's re-send. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface DeliveryRound {
  sent: number;
  retrying: number;
  failed: number;
}

/** Doubling waits from the first failure: base, 2·base, 4·base … capped. */
export function retryDelayMs(attempts: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

/** The relay's complaint without anything that could be a credential. */
function safeError(error: unknown, secret: string | undefined): string {
  const { code, responseCode, message } = (error ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  let text = [typeof code === 'string' ? code : null, typeof responseCode === 'number' ? String(responseCode) : null, typeof message === 'string' ? message : 'send failed'].filter(Boolean).join(' ');
  if (secret) text = text.replaceAll(secret, '***');
  return text.slice(0, 500);
}

export function createMailSender(options: MailSenderOptions) {
  const { sqlite, transport: transportOptions, from, now = () => new Date(), maxAttempts = 8, baseDelayMs = 60_000, maxDelayMs = 6 * 3_600_000 } = options;
  const transport = nodemailer.createTransport({
    host: transportOptions.host,
    port: transportOptions.port,
    secure: transportOptions.secure,
    requireTLS: transportOptions.requireStartTls ?? false,
    auth: transportOptions.auth,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<DeliveryRound> | undefined;

  async function deliver(): Promise<DeliveryRound> {
    const round: DeliveryRound = { sent: 0, retrying: 0, failed: 0 };
    const due = sqlite.prepare<[string], OutboxRow>("SELECT * FROM outbox WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT 100").all(now().toISOString());
    for (const message of due) {
      try {
        await transport.sendMail({ from, to: message.to_address, subject: message.subject, text: message.body });
        sqlite.prepare("UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, next_attempt_at = NULL, last_error = NULL WHERE id = ?").run(now().toISOString(), message.id);
        round.sent++;
      } catch (error) {
        const attempts = message.attempts + 1;
        const gaveUp = attempts >= maxAttempts;
        const nextAttempt = gaveUp ? null : new Date(now().getTime() + retryDelayMs(attempts, baseDelayMs, maxDelayMs)).toISOString();
        sqlite.prepare('UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?').run(gaveUp ? 'failed' : 'queued', attempts, nextAttempt, safeError(error, transportOptions.auth?.pass), message.id);
        if (gaveUp) round.failed++;
        else round.retrying++;
      }
    }
    return round;
  }

  return {
    /** Sends every message that is due; two overlapping calls share one round, so no message goes out twice. */
    deliverDue(): Promise<DeliveryRound> {
      running ??= deliver().finally(() => (running = undefined));
      return running;
    },
    /** A round that begins after any running one, so a message re-queued a moment ago is in it. */
    async deliverQueuedNow(): Promise<DeliveryRound> {
      await running?.catch(() => undefined);
      return this.deliverDue();
    },
    start(intervalMs = 30_000): void {
      timer ??= setInterval(() => void this.deliverDue().catch((error: unknown) => console.error('[outbox] delivery round failed:', error)), intervalMs);
      // waiting mail must not keep a closing process alive: it is still queued at the next start
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
      timer = undefined;
      transport.close();
    },
  };
}

export type MailSender = ReturnType<typeof createMailSender>;
