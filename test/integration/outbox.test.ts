import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenRegister } from '../../src-main/db/open';
import { verifyAudit } from '../../src-main/audit/verify';
import { createCardLifecycle } from '../../src-main/cards/lifecycle';
import { FULL_SCOPE } from '../../src-main/organisation/organisation';
import { queueDueReminders } from '../../src-main/mail/reminders';
import { createMailSender, listOutbox, listTemplates, queueMail, resendMessage, saveTemplate, type MailSender } from '../../src-main/mail/outbox';
import { reportHandlers } from '../../src-main/reports/handlers';
import type { CallContext } from '../../src-main/router';
import { openTestRegister } from '../support/register';
import { closedPort, startSmtp as startRelay, type RunningSmtp } from '../support/smtp';
import { WorkJobs } from '../../src-main/work/jobs';

const cleanUps: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

/** The register of a data folder, as one station opens it; opening the folder again is a second station on the same register. */
async function openRegister(dataDir: string): Promise<OpenRegister> {
  const database = await openTestRegister(dataDir);
  cleanUps.push(() => database.close());
  return database;
}

const freshDatabase = (): Promise<OpenRegister> => openRegister(mkdtempSync(join(tmpdir(), 'kortstation-outbox-')));

/** A relay that takes the connection and never says a word: a send to it hangs until the socket goes. */
async function startSilentRelay(): Promise<{ port: number; connected: Promise<void>; cutOff(): void }> {
  const sockets: Socket[] = [];
  let connected!: () => void;
  const firstConnection = new Promise<void>((resolve) => (connected = resolve));
  const server = createServer((socket) => {
    sockets.push(socket);
    connected();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanUps.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, connected: firstConnection, cutOff: () => sockets.forEach((socket) => socket.destroy()) };
}

/** A real SMTP server that is stopped after the test. */
async function startSmtp(port = 0, credentials?: { user: string; pass: string }): Promise<RunningSmtp> {
  const smtp = await startRelay(port, credentials);
  cleanUps.push(smtp.stop);
  return smtp;
}

let clock = new Date('2026-11-23T10:00:00Z');
const later = (ms: number): void => void (clock = new Date(clock.getTime() + ms));

function sender(database: OpenRegister, port: number, options: { auth?: { user: string; pass: string }; maxAttempts?: number } = {}): MailSender {
  const mail = createMailSender({ db: database, transport: { host: '127.0.0.1', port, secure: false, auth: options.auth }, from: 'kortstation@example.se', now: () => clock, baseDelayMs: 60_000, maxAttempts: options.maxAttempts });
  cleanUps.push(() => mail.stop());
  return mail;
}

const queue = (database: OpenRegister, to = 'anna.berg@example.se') =>
  queueMail(database, { to, template: 'card-ready', values: { namn: 'Anna Berg', station: 'Akademiska Ing 70', adress: 'Sjukhusvägen 1', kortnummer: '9752269000001' }, at: clock });

describe('the e-mail outbox', () => {
  it('delivers a queued message to a real SMTP server, in Swedish', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const database = await freshDatabase();
    const smtp = await startSmtp();
    const id = await queue(database);
    expect(await sender(database, smtp.port).deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.arrived).toHaveLength(1);
    expect(smtp.arrived[0]).toMatchObject({ from: 'kortstation@example.se', to: ['anna.berg@example.se'] });
    expect(smtp.arrived[0]?.raw).toMatch(/Subject: =\?UTF-8\?/);
    expect((await listOutbox(database))).toMatchObject([{ id, state: 'sent', attempts: 1, sentAt: clock.toISOString(), lastError: null }]);
    // a sent message is not sent again
    expect(await sender(database, smtp.port).deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.arrived).toHaveLength(1);
  });

  it('keeps a message while the relay is down and delivers it once it is back, after the backoff', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const database = await freshDatabase();
    const port = await closedPort();
    const mail = sender(database, port);
    await queue(database);
    expect(await mail.deliverDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const [waiting] = await listOutbox(database);
    expect(waiting).toMatchObject({ state: 'queued', attempts: 1, nextAttemptAt: '2026-11-23T10:01:00.000Z' });
    expect(waiting?.lastError).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);

    const smtp = await startSmtp(port);
    // not yet due: the backoff holds it back
    expect(await mail.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    later(60_000);
    expect(await mail.deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.arrived.map((message) => message.to)).toEqual([['anna.berg@example.se']]);
    expect((await listOutbox(database))[0]).toMatchObject({ state: 'sent', attempts: 2, lastError: null });
  });

  it('loses no message to an unreachable relay: it is marked failed, kept, and re-sent on request', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const database = await freshDatabase();
    const port = await closedPort();
    const mail = sender(database, port, { maxAttempts: 3 });
    const id = await queue(database);
    const waits: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      await mail.deliverDue();
      const row = (await listOutbox(database))[0]!;
      if (row.nextAttemptAt) waits.push(row.nextAttemptAt);
      later(10 * 60_000);
    }
    // the waits double: one minute, then two
    expect(waits).toEqual(['2026-11-23T10:01:00.000Z', '2026-11-23T10:12:00.000Z']);
    expect((await listOutbox(database, 'failed'))).toMatchObject([{ id, attempts: 3, nextAttemptAt: null }]);
    expect(await mail.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });

    const smtp = await startSmtp(port);
    expect(await resendMessage(database, id, clock)).toMatchObject({ state: 'queued', attempts: 0 });
    expect(await mail.deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.arrived).toHaveLength(1);
    await expect(resendMessage(database, id, clock)).rejects.toThrow(expect.objectContaining({ code: 'mail-already-sent' }));
    await expect(resendMessage(database, 999, clock)).rejects.toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('tries a re-send from the screen at once, and says why when the relay is still down', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const database = await freshDatabase();
    const port = await closedPort();
    const mail = sender(database, port);
    const handlers = reportHandlers({ db: database, station: () => Promise.resolve('Test'), now: () => clock, mail, work: new WorkJobs() });
    const call = { session: { id: 's', operator: { id: 1, role: 'org-admin' } } } as unknown as CallContext;
    const id = await queue(database);

    const stillDown = await handlers['outbox.resend']({ id }, call);
    expect(stillDown).toMatchObject({ id, state: 'queued', attempts: 1 });
    expect(stillDown.lastError).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);

    const smtp = await startSmtp(port);
    expect(await handlers['outbox.resend']({ id }, call)).toMatchObject({ id, state: 'sent', attempts: 1, lastError: null });
    expect(smtp.arrived.map((message) => message.to)).toEqual([['anna.berg@example.se']]);
  });

  it('logs in to the relay and never keeps the password in the error', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const database = await freshDatabase();
    const smtp = await startSmtp(0, { user: 'station', pass: 'Rätt-lösen-1' });
    await queue(database);
    await sender(database, smtp.port, { auth: { user: 'station', pass: 'Fel-lösen-2' } }).deliverDue();
    const [refused] = await listOutbox(database);
    expect(refused).toMatchObject({ state: 'queued', attempts: 1 });
    expect(refused?.lastError).toMatch(/EAUTH/);
    expect(refused?.lastError).not.toContain('Fel-lösen-2');
    later(60_000);
    expect(await sender(database, smtp.port, { auth: { user: 'station', pass: 'Rätt-lösen-1' } }).deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.arrived).toHaveLength(1);
  });
});

describe('one outbox for the region', () => {
  it('sends each message exactly once when two stations run the sender at the same time', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-outbox-'));
    const first = await openRegister(dataDir);
    const second = await openRegister(dataDir);
    const smtp = await startSmtp();
    const recipients = Array.from({ length: 12 }, (_, index) => `person${index}@example.se`);
    for (const to of recipients) await queue(first, to);
    const rounds = await Promise.all([sender(first, smtp.port).deliverDue(), sender(second, smtp.port).deliverDue()]);
    expect(rounds[0]!.sent + rounds[1]!.sent).toBe(12);
    expect(smtp.arrived.map((message) => message.to[0]).sort()).toEqual([...recipients].sort());
    expect((await listOutbox(second)).map((message) => [message.state, message.attempts])).toEqual(recipients.map(() => ['sent', 1]));
  });

  it('leaves a message a station is sending to that station, and sends it from another once the lease ends after the first was lost', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-outbox-'));
    const lost = await openRegister(dataDir);
    const other = await openRegister(dataDir);
    const silent = await startSilentRelay();
    const smtp = await startSmtp();
    const id = await queue(lost);
    const stuck = sender(lost, silent.port).deliverDue();
    await silent.connected;

    // claimed and in flight on the first station: not due for the other
    expect(await sender(other, smtp.port).deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    later(5 * 60_000 - 1);
    expect(await sender(other, smtp.port).deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    later(1);
    expect(await sender(other, smtp.port).deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.arrived.map((message) => message.to)).toEqual([['anna.berg@example.se']]);

    // the first station's late failure no longer touches the message the other one sent
    silent.cutOff();
    await stuck;
    expect(await outboxState(other, id)).toMatchObject({ state: 'sent', attempts: 1, lastError: null });
  });
});

const outboxState = async (database: OpenRegister, id: number) => (await listOutbox(database)).find((message) => message.id === id);

describe('mail templates', () => {
  it('uses an administrator\'s edit for new messages and refuses a malformed one at save time', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const database = await freshDatabase();
    const by = { actor: '1', station: 'Test', now: clock };
    expect((await listTemplates(database)).map((template) => [template.name, template.updatedAt])).toEqual([
      ['card-ready', null],
      ['certificate-expiry', null],
      ['return-reminder', null],
      ['audit-anchor', null],
      ['staff-invitation', null],
    ]);
    await expect(saveTemplate(database, { name: 'card-ready', subject: 'Kortet är klart', body: 'Hej {{förnamn}}!' }, by)).rejects.toThrow(expect.objectContaining({ code: 'mail-template-invalid', message: expect.stringContaining('förnamn') }));
    await expect(saveTemplate(database, { name: 'card-ready', subject: 'Kortet {{kortnummer} är klart', body: 'Hej!' }, by)).rejects.toThrow(expect.objectContaining({ code: 'mail-template-invalid', message: expect.stringContaining('subject: unbalanced') }));
    const saved = await saveTemplate(database, { name: 'card-ready', subject: 'Hämta ditt kort, {{namn}}', body: 'Kortet väntar på {{station}}.' }, by);
    expect(saved).toMatchObject({ updatedAt: clock.toISOString(), variables: ['namn', 'station', 'adress', 'kortnummer'] });
    const id = await queue(database);
    expect(await database.one('SELECT subject, body FROM outbox WHERE id = ?', [id])).toEqual({ subject: 'Hämta ditt kort, Anna Berg', body: 'Kortet väntar på Akademiska Ing 70.' });
    expect((await verifyAudit(database)).ok).toBe(true);
  });
});

describe('the ready-for-pickup notice', () => {
  async function producedOrder(email: string | null) {
    const db = await freshDatabase();
    await db.run("INSERT INTO station (id, name, site, address) VALUES (1, 'Akademiska Ing 70', 'Ing 70', 'Sjukhusvägen 1')");
    await db.run(
      "INSERT INTO person (id, first_name, surname, personnummer, email, search_name, search_name_reversed, search_personnummer10, created_at, updated_at) VALUES (100, 'Anna', 'Berg', '198507099805', ?, '', '', '', '', '')",
      [email],
    );
    await db.run("INSERT INTO card_order (id, person_id, order_date, order_reference, state, card_number, photo_station_id, created_at, updated_at) VALUES (1, 100, '2026-11-01', 'B1', 'produced', '9752269000001', 1, '', '')");
    const lifecycle = createCardLifecycle({ db, cardTests: { results: () => [], run: () => Promise.reject(new Error('no card reader in this test')) }, now: () => clock });
    return { db, lifecycle };
  }
  const caller = { actor: '1', scope: FULL_SCOPE };

  it('queues the e-mail in the same step as the card becomes ready', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const { db, lifecycle } = await producedOrder('anna.berg@example.se');
    await lifecycle.markReady(1, caller);
    const [message] = await listOutbox(db);
    expect(message).toMatchObject({ to: 'anna.berg@example.se', template: 'card-ready', state: 'queued', subject: 'Ditt eTjänstekort är klart att hämta' });
    const body = await db.value<string>('SELECT body FROM outbox');
    expect(body).toContain('Hej Anna Berg!');
    expect(body).toContain('(9752269000001) är klart att hämta på Akademiska Ing 70, Sjukhusvägen 1.');
    const notice = await db.value<string>("SELECT details FROM card_event WHERE action = 'notify.ready'");
    expect(JSON.parse(notice ?? '{}')).toEqual({ station: 'Akademiska Ing 70', mailId: message?.id });
    // a refused step leaves no message behind
    await expect(lifecycle.markReady(1, caller)).rejects.toThrow();
    expect(await listOutbox(db)).toHaveLength(1);
  });

  it('queues nothing for a person without an e-mail address', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const { db, lifecycle } = await producedOrder(null);
    await lifecycle.markReady(1, caller);
    expect(await listOutbox(db)).toEqual([]);
    expect(await db.value<string>('SELECT state FROM card_order')).toBe('ready');
  });
});

describe('reminders', () => {
  it('queues a certificate-expiry and a return reminder once per occasion, only for people with an e-mail address', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const db = await freshDatabase();
    await db.run(`
      INSERT INTO person (id, first_name, surname, personnummer, email, employment_end, search_name, search_name_reversed, search_personnummer10, created_at, updated_at) VALUES
        (100, 'Anna', 'Berg', '198507099805', 'anna@example.se', '2026-12-10', '', '', '', '', ''),
        (101, 'Bo', 'Ek', '197912312383', NULL, '2026-12-10', '', '', '', '', ''),
        (102, 'Cia', 'Ahl', '199001012380', 'cia@example.se', '2027-06-30', '', '', '', '', '')`);
    await db.run(`
      INSERT INTO card_order (id, person_id, order_date, order_reference, state, card_number, certificates_not_after, created_at, updated_at) VALUES
        (1, 100, '2025-01-01', 'B1', 'handed-over', 'C100', '2027-01-15T12:00:00Z', '', ''),
        (2, 101, '2025-01-01', 'B2', 'handed-over', 'C101', '2027-01-15T12:00:00Z', '', ''),
        (3, 102, '2025-01-01', 'B3', 'handed-over', 'C102', '2028-01-15T12:00:00Z', '', '')`);
    expect(await queueDueReminders(db, 'Akademiska', clock)).toEqual({ certificateExpiry: 1, returnReminder: 1 });
    expect(await queueDueReminders(db, 'Akademiska', clock)).toEqual({ certificateExpiry: 0, returnReminder: 0 });
    const queued = await db.all<{ to_address: string; template: string; subject: string; body: string }>('SELECT to_address, template, subject, body FROM outbox ORDER BY id');
    expect(queued.map((message) => [message.to_address, message.template])).toEqual([
      ['anna@example.se', 'certificate-expiry'],
      ['anna@example.se', 'return-reminder'],
    ]);
    expect(queued[0]?.subject).toBe('Certifikaten på ditt eTjänstekort slutar gälla 2027-01-15');
    // seed 004: expiring certificates are renewed on the card; seed 004 and 000: the card goes cut in two to the manager, the token back to its unit
    expect(queued[0]?.body).toContain('Hämta nya certifikat');
    expect(queued[1]?.body).toContain('Din anställning upphör 2026-12-10.');
    expect(queued[1]?.body).toContain('ditt eTjänstekort, ituklippt, till din närmaste chef');
    expect(queued[1]?.body).toContain('din dosa, om du har en, till den enhet du fick den från');
    // a renewed certificate is a new occasion
    await db.run("UPDATE card_order SET certificates_not_after = '2027-02-01T12:00:00Z' WHERE id = 1");
    expect(await queueDueReminders(db, 'Akademiska', clock)).toEqual({ certificateExpiry: 1, returnReminder: 0 });
  });
});
