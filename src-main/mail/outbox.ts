// The outbox of e-mail and SMS: messages queued in the transaction of their cause, delivered once by whichever station's sender claims them, with retries; e-mail templates editable by administrators.
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
import type { Db } from '../db/data-layer';
import { openSeed, sealSeed, type DataKeySource } from '../tokens/seed-crypto';

export async function templateText(db: Db, name: MailTemplateName): Promise<MailTemplateText> {
  return (await db.one<MailTemplateText>('SELECT subject, body FROM mail_template WHERE name = ?', [name])) ?? DEFAULT_MAIL_TEMPLATES[name];
}

export type OutboxChannel = 'email' | 'sms';

export interface QueuedMail {
  to: string;
  template: MailTemplateName;
  values: Readonly<Record<string, string>>;
  at: Date;
  /** The body holds a link token or a code: it is kept sealed under this key until sent, then dropped. */
  sealWith?: DataKeySource;
}

/** What the outbox's body column shows for a message whose text is sealed or was dropped after sending. */
export const SEALED_BODY_PLACEHOLDER = '(Innehåller en engångslänk eller kod. Texten sparas inte i klartext.)';

// bound to channel and address: a sealed body copied to another row does not open
const sealContext = (channel: OutboxChannel, to: string): string => `outbox:${channel}:${to}`;

interface NewOutboxRow {
  channel: OutboxChannel;
  to: string;
  subject: string;
  body: string;
  template: string;
  at: Date;
  sealWith?: DataKeySource;
}

async function insertOutbox(db: Db, row: NewOutboxRow): Promise<number> {
  const at = row.at.toISOString();
  // a secret-bearing text survives a restart or a relay outage only sealed; the column shows a placeholder
  const sealed = row.sealWith ? sealSeed(row.sealWith(), sealContext(row.channel, row.to), Buffer.from(row.body, 'utf8')) : null;
  return db.insert(
    "INSERT INTO outbox (created_at, channel, to_address, subject, body, sealed_body, template, state, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?)",
    [at, row.channel, row.to, row.subject, sealed ? SEALED_BODY_PLACEHOLDER : row.body, sealed, row.template, at],
  );
}

/** Call it inside the transaction of the event (it joins it), so the message exists exactly when the event does. */
export async function queueMail(db: Db, mail: QueuedMail): Promise<number> {
  const text = await templateText(db, mail.template);
  return insertOutbox(db, {
    channel: 'email',
    to: mail.to,
    subject: renderTemplate(text.subject, mail.values),
    body: renderTemplate(text.body, mail.values),
    template: mail.template,
    at: mail.at,
    ...(mail.sealWith ? { sealWith: mail.sealWith } : {}),
  });
}

/** An SMS to an E.164 number, in the transaction of its cause; `sealWith` for a text holding a code; `label` is what the outbox list shows as its subject. */
export async function queueSms(db: Db, sms: { to: string; label: string; text: string; template: string; at: Date; sealWith?: DataKeySource }): Promise<number> {
  return insertOutbox(db, { channel: 'sms', to: sms.to, subject: sms.label, body: sms.text, template: sms.template, at: sms.at, ...(sms.sealWith ? { sealWith: sms.sealWith } : {}) });
}

interface OutboxRow {
  id: number;
  created_at: string;
  to_address: string;
  subject: string;
  body: string;
  sealed_body: Uint8Array | null;
  channel: OutboxChannel;
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

export async function listOutbox(db: Db, state?: OutboxState): Promise<OutboxMessage[]> {
  const rows = state ? await db.all<OutboxRow>('SELECT * FROM outbox WHERE state = ? ORDER BY id DESC LIMIT 500', [state]) : await db.all<OutboxRow>('SELECT * FROM outbox ORDER BY id DESC LIMIT 500');
  return rows.map(toMessage);
}

export async function outboxMessage(db: Db, id: number): Promise<OutboxMessage> {
  const row = await db.one<OutboxRow>('SELECT * FROM outbox WHERE id = ?', [id]);
  if (!row) throw new AppError('not-found', `No message ${id}`);
  return toMessage(row);
}

/** Puts a message back in the queue for the next round, with a fresh count of attempts. */
export async function resendMessage(db: Db, id: number, now: Date): Promise<OutboxMessage> {
  const changed = await db.run("UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ? WHERE id = ? AND state <> 'sent'", [now.toISOString(), id]);
  const message = await outboxMessage(db, id);
  if (changed === 0) throw new AppError('mail-already-sent', `Message ${id} was sent already`);
  return message;
}

export async function listTemplates(db: Db): Promise<MailTemplateInfo[]> {
  const edits = await db.all<MailTemplateText & { name: string; updated_at: string }>('SELECT name, subject, body, updated_at FROM mail_template');
  return MAIL_TEMPLATE_NAMES.map((name) => {
    const edited = edits.find((edit) => edit.name === name);
    const text = edited ?? DEFAULT_MAIL_TEMPLATES[name];
    return { name, subject: text.subject, body: text.body, variables: [...MAIL_TEMPLATE_VARIABLES[name]], updatedAt: edited?.updated_at ?? null };
  });
}

/** Refuses a template whose placeholders would not fill: better at save time than in a person's inbox. */
export async function saveTemplate(db: Db, input: { name: MailTemplateName } & MailTemplateText, by: { actor: string; station: string; now: Date }): Promise<MailTemplateInfo> {
  const problems = problemsOfTemplate(input.name, input.subject, input.body).map(({ part, problem }) => (part ? `${part}: ` : '') + describeTemplateProblem(problem));
  if (problems.length > 0) throw new AppError('mail-template-invalid', problems.join('; '));
  const at = by.now.toISOString();
  await db.transaction(async () => {
    await db.run(
      'INSERT INTO mail_template (name, subject, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by',
      [input.name, input.subject, input.body, at, by.actor],
    );
    await appendAudit(db, { station: by.station, actor: by.actor, action: 'mail.template-saved', outcome: 'ok', details: { template: input.name }, at: by.now });
  });
  const saved = (await listTemplates(db)).find((template) => template.name === input.name);
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

export interface DeliveryOptions {
  db: Db;
  now?: () => Date;
  /** Opens sealed bodies; without it a sealed message fails rather than go out as its placeholder. */
  dataKey?: DataKeySource;
  /** After this many failed attempts a message is marked failed and waits for an administrator's re-send. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a claimed message is this sender's alone: a station killed while sending leaves it to be claimed again after this. */
  leaseMs?: number;
}

export interface MailSenderOptions extends DeliveryOptions {
  transport: MailTransportOptions;
  from: string;
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

/** Claimed together under one lease: few enough that even a slow relay (about 50 s a message at worst) sends them before it ends. */
const CLAIM_BATCH = 5;

/**
 * Takes the next due messages of one channel after `afterId` for this sender alone, in one statement outside any transaction: the claim pushes
 * next_attempt_at to the lease's end, so no other station's round sees them due until this one finishes them or dies.
 * PostgreSQL skips rows another station is claiming at the same moment; SQLite's single writer makes the UPDATE atomic by itself.
 */
async function claimDue(db: Db, channel: OutboxChannel, afterId: number, now: string, leaseEnd: string): Promise<OutboxRow[]> {
  const skipClaimed = db.engine === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  const claimed = await db.all<OutboxRow>(
    `UPDATE outbox SET next_attempt_at = ?
     WHERE id IN (SELECT id FROM outbox WHERE channel = ? AND state = 'queued' AND next_attempt_at <= ? AND id > ? ORDER BY id LIMIT ${CLAIM_BATCH}${skipClaimed})
       AND state = 'queued' AND next_attempt_at <= ?
     RETURNING *`,
    [leaseEnd, channel, now, afterId, now],
  );
  return claimed.sort((a, b) => a.id - b.id);
}

/** One message as its transport gets it, the sealed body opened. */
export interface OutgoingMessage {
  to: string;
  subject: string;
  body: string;
}

export interface OutboxTransport {
  channel: OutboxChannel;
  send(message: OutgoingMessage): Promise<void>;
  /** A credential to blank out of a recorded error. */
  secret?: string;
  close?(): void;
}

export interface OutboxSender {
  /** Sends every message that is due and unclaimed; two overlapping calls in this process share one round. */
  deliverDue(): Promise<DeliveryRound>;
  /** A round that begins after any running one, so a message re-queued a moment ago is in it. */
  deliverQueuedNow(): Promise<DeliveryRound>;
  start(intervalMs?: number): void;
  stop(): void;
}

/** The claim, send, retry and give-up loop of one channel over any transport. */
export function createOutboxSender(options: DeliveryOptions, transport: OutboxTransport): OutboxSender {
  const { db, now = () => new Date(), dataKey, maxAttempts = 8, baseDelayMs = 60_000, maxDelayMs = 6 * 3_600_000, leaseMs = 5 * 60_000 } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<DeliveryRound> | undefined;

  async function deliver(): Promise<DeliveryRound> {
    const round: DeliveryRound = { sent: 0, retrying: 0, failed: 0 };
    // onwards by id, so a message that failed and is due again at once waits for the next round
    for (let afterId = 0; ; ) {
      const claimedAt = now();
      const lease = new Date(claimedAt.getTime() + leaseMs).toISOString();
      const claimed = await claimDue(db, transport.channel, afterId, claimedAt.toISOString(), lease);
      if (claimed.length === 0) return round;
      afterId = claimed.at(-1)!.id;
      for (const message of claimed) await sendClaimed(message, lease, round);
    }
  }

  function bodyOf(message: OutboxRow): string {
    if (message.sealed_body === null) return message.body;
    if (!dataKey) throw new Error('sealed message and no data key to open it');
    return openSeed(dataKey(), sealContext(message.channel, message.to_address), message.sealed_body).toString('utf8');
  }

  /** Sends one claimed message outside any transaction; the outcome is written only while the claim is still this sender's. */
  async function sendClaimed(message: OutboxRow, lease: string, round: DeliveryRound): Promise<void> {
    try {
      await transport.send({ to: message.to_address, subject: message.subject, body: bodyOf(message) });
    } catch (error) {
      const attempts = message.attempts + 1;
      const gaveUp = attempts >= maxAttempts;
      const nextAttempt = gaveUp ? null : new Date(now().getTime() + retryDelayMs(attempts, baseDelayMs, maxDelayMs)).toISOString();
      await db.run("UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'queued' AND next_attempt_at = ?", [
        gaveUp ? 'failed' : 'queued',
        attempts,
        nextAttempt,
        safeError(error, transport.secret),
        message.id,
        lease,
      ]);
      if (gaveUp) round.failed++;
      else round.retrying++;
      return;
    }
    // a sent secret has done its work: the sealed copy goes, so not even the data key brings it back
    await db.run(
      "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, next_attempt_at = NULL, last_error = NULL, sealed_body = NULL WHERE id = ? AND state = 'queued' AND next_attempt_at = ?",
      [now().toISOString(), message.id, lease],
    );
    round.sent++;
  }

  return {
    deliverDue(): Promise<DeliveryRound> {
      running ??= deliver().finally(() => (running = undefined));
      return running;
    },
    async deliverQueuedNow(): Promise<DeliveryRound> {
      await running?.catch(() => undefined);
      return this.deliverDue();
    },
    start(intervalMs = 30_000): void {
      timer ??= setInterval(() => void this.deliverDue().catch((error: unknown) => console.error(`[outbox] ${transport.channel} delivery round failed:`, error)), intervalMs);
      // waiting messages must not keep a closing process alive: they are still queued at the next start
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
      timer = undefined;
      transport.close?.();
    },
  };
}

export function createMailSender(options: MailSenderOptions): OutboxSender {
  const { transport: transportOptions, from } = options;
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
  return createOutboxSender(options, {
    channel: 'email',
    send: async (message) => void (await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.body })),
    ...(transportOptions.auth ? { secret: transportOptions.auth.pass } : {}),
    close: () => transport.close(),
  });
}

export type MailSender = OutboxSender;
