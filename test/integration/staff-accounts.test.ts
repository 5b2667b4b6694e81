// Staff accounts as seeds 001–003 describe them, through the real router and register on both engines: invitation links, own passwords, SMS reset codes, the last login.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope, ProcedureInput, ProcedureName, ProcedureOutput } from '@shared/contract';
import { createSmsSender } from '../../src-main/mail/sms';
import type { OutboxSender } from '../../src-main/mail/outbox';
import type { Session } from '../../src-main/router';
import { openStation, type Station } from '../../src-main/station';
import { keyFileDataKeySource } from '../../src-main/tokens/seed-crypto';
import { decodedMailText } from '../support/invitation-mail';
import { resetCodeIn, startSmsGateway, type RunningSmsGateway } from '../support/sms-gateway';
import { PUBLIC_URL, startInviteKit, type InviteKit } from '../support/staff-invite';
import { testRegisterLocation } from '../support/register-location';

const ADMIN_PASSWORD = 'Vinterkort42';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const MOBILE = '+46701234567';

let clock: Date;
let station: Station;
let dataDir: string;
let invites: InviteKit;
let gateway: RunningSmsGateway;
let sms: OutboxSender;
let admin: Session;
let adminSecret: string;
const extraStations: Station[] = [];

const session = (id: string): Session => ({ id, operator: null });
const advance = (ms: number): void => void (clock = new Date(clock.getTime() + ms));
// each code from a later step: the station refuses a step's code twice
const codeFor = (secret: string): string => {
  advance(31_000);
  return generateSync({ secret, epoch: Math.floor(clock.getTime() / 1000) });
};

async function call<N extends ProcedureName>(caller: Session, name: N, input: ProcedureInput<N>): Promise<Envelope<ProcedureOutput<N>>> {
  return (await station.router.call(caller, name, input)) as Envelope<ProcedureOutput<N>>;
}

async function value<N extends ProcedureName>(caller: Session, name: N, input: ProcedureInput<N>): Promise<ProcedureOutput<N>> {
  const reply = await call(caller, name, input);
  if (!reply.ok) throw new Error(`${name}: ${reply.code} ${reply.message}`);
  return reply.value;
}

const login = (caller: Session, username: string, password: string, secret: string) => value(caller, 'auth.loginPassword', { username, password, otp: codeFor(secret) });

beforeEach(async () => {
  clock = new Date('2026-11-23T09:00:00Z');
  dataDir = mkdtempSync(join(tmpdir(), 'kortstation-accounts-'));
  station = await openStation({ dataDir, database: testRegisterLocation(dataDir), host: 'web', trustDirs: [], now: () => clock, allowVirtualReaders: true, publicUrl: PUBLIC_URL });
  invites = await startInviteKit(station, dataDir, () => clock);
  gateway = await startSmsGateway();
  sms = createSmsSender({ db: station.database, gateway: { url: gateway.url, auth: { kind: 'bearer', token: 'gateway-token-1' } }, dataKey: keyFileDataKeySource(dataDir), now: () => clock, baseDelayMs: 60_000 });
  const kiosk = session('setup');
  const { otpauthUri } = await value(kiosk, 'setup.firstRun', { organisationName: 'Region Uppsala', stationName: 'Akademiska', admin: { username: 'admin', displayName: 'Åsa Admin', password: ADMIN_PASSWORD } });
  adminSecret = new URL(otpauthUri).searchParams.get('secret')!;
  await value(kiosk, 'auth.logout', {});
  admin = session('admin');
  await login(admin, 'admin', ADMIN_PASSWORD, adminSecret);
});

afterEach(async () => {
  sms.stop();
  await gateway.stop();
  await invites.stop();
  for (const extra of extraStations.splice(0)) await extra.close();
  await station.close();
});

/** An operator invited with e-mail and mobile, who accepted with their own password; returns their code secret. */
async function invitedOperator(username = 'olle', password = 'Operator77'): Promise<string> {
  await value(admin, 'staff.create', { username, displayName: 'Olle Operatör', role: 'operator', email: `${username}@example.se`, mobile: '070-123 45 67' });
  return invites.accept(await invites.invitationToken(`${username}@example.se`), password);
}

const auditActions = async (action: string) => station.database.all<{ outcome: string; details: string }>('SELECT outcome, details FROM audit_entry WHERE action = ? ORDER BY id', [action]);

describe('invitation by e-mail link', () => {
  it('mails a link that lets the person choose their password and enrol their code once; the token and link are never stored in clear', async () => {
    const created = await value(admin, 'staff.create', { username: 'olle', displayName: 'Olle Operatör', role: 'operator', email: 'Olle@Example.se', mobile: '070-123 45 67' });
    expect(created).toMatchObject({ invitationSent: true, account: { email: 'olle@example.se', mobile: MOBILE, passwordSet: false, tokenEnrolled: false, invitationPending: true } });
    // queued sealed: the outbox shows a placeholder until it is sent
    const queued = await station.database.one<{ body: string; sealed: number }>("SELECT body, CASE WHEN sealed_body IS NULL THEN 0 ELSE 1 END AS sealed FROM outbox WHERE template = 'staff-invitation'");
    expect(queued).toMatchObject({ sealed: 1 });
    expect(queued!.body).not.toContain('invitation/');

    const token = await invites.invitationToken('olle@example.se');
    const mailText = decodedMailText(invites.smtp.arrived.at(-1)!.raw);
    expect(mailText).toContain(`${PUBLIC_URL}/#/invitation/${token}`);
    expect(mailText).toContain('Olle Operatör');
    const afterSending = await station.database.one<{ sealed: number }>("SELECT CASE WHEN sealed_body IS NULL THEN 0 ELSE 1 END AS sealed FROM outbox WHERE template = 'staff-invitation'");
    expect(afterSending).toEqual({ sealed: 0 });
    const stored = JSON.stringify([await station.database.all('SELECT * FROM staff_invitation'), await station.database.all('SELECT subject, body, last_error FROM outbox'), await station.database.all('SELECT details FROM audit_entry')]);
    expect(stored).not.toContain(token);

    const page = session('invitation-page');
    expect(await value(page, 'invitation.open', { token })).toEqual({ username: 'olle', displayName: 'Olle Operatör', needsPassword: true, rules: { requireSpecial: false } });
    // no account until a code from the shown key is confirmed
    expect(await call(page, 'invitation.complete', { token, password: 'Operator77', otp: '123456' })).toMatchObject({ ok: false, code: 'wrong-otp' });
    const { otpauthUri } = await value(page, 'invitation.enrol', { token });
    const secret = new URL(otpauthUri).searchParams.get('secret')!;
    expect(await call(page, 'invitation.complete', { token, password: 'kort', otp: generateSync({ secret, epoch: Math.floor(clock.getTime() / 1000) }) })).toMatchObject({ ok: false, code: 'password-too-weak', message: expect.stringContaining('minst 8 tecken') });
    const wrongCode = String((Number(generateSync({ secret, epoch: Math.floor(clock.getTime() / 1000) })) + 1) % 1_000_000).padStart(6, '0');
    expect(await call(page, 'invitation.complete', { token, password: 'Operator77', otp: wrongCode })).toMatchObject({ ok: false, code: 'wrong-otp' });
    expect(await call(admin, 'auth.status', {})).toMatchObject({ ok: true });
    expect((await station.database.one<{ password_hash: string | null }>("SELECT password_hash FROM staff_account WHERE username = 'olle'"))!.password_hash).toBeNull();

    expect(await value(page, 'invitation.complete', { token, password: 'Operator77', otp: generateSync({ secret, epoch: Math.floor(clock.getTime() / 1000) }) })).toEqual({ username: 'olle' });
    // single use
    expect(await call(page, 'invitation.open', { token })).toMatchObject({ ok: false, code: 'invitation-invalid' });
    expect(await call(page, 'invitation.complete', { token, password: 'Operator88', otp: '000000' })).toMatchObject({ ok: false, code: 'invitation-invalid' });

    const olle = session('olle');
    expect(await login(olle, 'olle', 'Operator77', secret)).toMatchObject({ ok: true, operator: { displayName: 'Olle Operatör', role: 'operator', mustChangePassword: false } });
    expect((await auditActions('staff.invitation-sent')).map((entry) => entry.outcome)).toEqual(['ok']);
    expect((await auditActions('staff.invitation-accepted')).map((entry) => entry.outcome)).toEqual(['ok']);
  });

  it('expires after 7 days, and a re-issued link replaces the old one', async () => {
    await value(admin, 'staff.create', { username: 'olle', displayName: 'Olle Operatör', role: 'operator', email: 'olle@example.se' });
    const first = await invites.invitationToken('olle@example.se');
    const page = session('invitation-page');
    advance(7 * DAY - MINUTE);
    expect(await call(page, 'invitation.open', { token: first })).toMatchObject({ ok: true });
    advance(2 * MINUTE);
    expect(await call(page, 'invitation.open', { token: first })).toMatchObject({ ok: false, code: 'invitation-invalid', message: expect.stringContaining('Länken gäller inte längre') });

    const listed = (await value(admin, 'staff.list', {})).find((account) => account.username === 'olle')!;
    expect(listed.invitationPending).toBe(false);
    await value(admin, 'staff.sendInvitation', { id: listed.id });
    const second = await invites.invitationToken('olle@example.se');
    expect(second).not.toBe(first);
    await value(admin, 'staff.sendInvitation', { id: listed.id });
    const third = await invites.invitationToken('olle@example.se');
    // the second link died when the third was sent
    expect(await call(page, 'invitation.open', { token: second })).toMatchObject({ ok: false, code: 'invitation-invalid' });
    expect(await value(page, 'invitation.open', { token: third })).toMatchObject({ username: 'olle', needsPassword: true });
  });

  it('refuses to invite without KORTSTATION_PUBLIC_URL, and creates nothing', async () => {
    const bareDir = mkdtempSync(join(tmpdir(), 'kortstation-accounts-bare-'));
    const bare = await openStation({ dataDir: bareDir, database: testRegisterLocation(bareDir), host: 'web', trustDirs: [], now: () => clock, allowVirtualReaders: true });
    extraStations.push(bare);
    const kiosk = session('bare');
    await bare.router.call(kiosk, 'setup.firstRun', { stationName: 'Bare', admin: { username: 'admin', displayName: 'Åsa Admin', password: ADMIN_PASSWORD } });
    const refused = await bare.router.call(kiosk, 'staff.create', { username: 'olle', displayName: 'Olle', role: 'operator', email: 'olle@example.se' });
    expect(refused).toMatchObject({ ok: false, code: 'public-url-missing', message: expect.stringContaining('KORTSTATION_PUBLIC_URL') });
    expect(await bare.database.value('SELECT count(*) FROM staff_account')).toBe(1);
    expect(await bare.database.value('SELECT count(*) FROM outbox')).toBe(0);
  });

  it('never lets an administrator set or see a password: no such procedure, no password field, and a code reset mails the owner a link', async () => {
    const secret = await invitedOperator();
    const olle = (await value(admin, 'staff.list', {})).find((account) => account.username === 'olle')!;
    expect(await station.router.call(admin, 'staff.setPassword', { id: olle.id, password: 'Adminvalt1' })).toMatchObject({ ok: false, code: 'unknown-procedure' });
    expect(await station.router.call(admin, 'staff.create', { username: 'per', displayName: 'Per', role: 'operator', email: 'per@example.se', password: 'Adminvalt1' })).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(await call(admin, 'staff.create', { username: 'per', displayName: 'Per', role: 'operator' })).toMatchObject({ ok: false, code: 'email-required' });

    const reset = await value(admin, 'staff.resetOtp', { id: olle.id });
    expect(reset).toMatchObject({ tokenEnrolled: false, passwordSet: true, invitationPending: true });
    expect(JSON.stringify(reset)).not.toContain('otpauth');
    const token = await invites.invitationToken('olle@example.se');
    expect(await value(session('page'), 'invitation.open', { token })).toMatchObject({ needsPassword: false });
    const newSecret = await invites.accept(token, undefined);
    expect(newSecret).not.toBe(secret);
    expect(await login(session('olle'), 'olle', 'Operator77', newSecret)).toMatchObject({ ok: true });
  });
});

describe('own password', () => {
  it('changes with the old password first and refuses any earlier password, not only the last five', async () => {
    const secret = await invitedOperator();
    const olle = session('olle');
    await login(olle, 'olle', 'Operator77', secret);
    expect(await call(olle, 'auth.changePassword', { currentPassword: 'Fel12345', newPassword: 'Andra2222' })).toMatchObject({ ok: false, code: 'wrong-password' });
    const passwords = ['Andra2222', 'Tredje333', 'Fjarde444', 'Femte5555', 'Sjatte666', 'Sjunde777'];
    let current = 'Operator77';
    for (const next of passwords) {
      await value(olle, 'auth.changePassword', { currentPassword: current, newPassword: next });
      current = next;
    }
    // the first password is six changes back
    expect(await call(olle, 'auth.changePassword', { currentPassword: current, newPassword: 'Operator77' })).toMatchObject({ ok: false, code: 'password-reused' });
    expect(await call(olle, 'auth.changePassword', { currentPassword: current, newPassword: current })).toMatchObject({ ok: false, code: 'password-reused' });
    expect(await login(session('again'), 'olle', current, secret)).toMatchObject({ ok: true });
    expect((await auditActions('auth.password-changed')).map((entry) => entry.outcome)).toEqual(['refused', ...passwords.map(() => 'ok')]);
  });

  it('asks for a special character once the organisation administrator turns the rule on', async () => {
    expect(await value(session('anyone'), 'auth.passwordRules', {})).toEqual({ requireSpecial: false });
    expect(await call(session('nobody'), 'staff.savePasswordRules', { requireSpecial: true })).toMatchObject({ ok: false, code: 'not-logged-in' });
    expect(await value(admin, 'staff.savePasswordRules', { requireSpecial: true })).toEqual({ requireSpecial: true });
    expect(await value(session('anyone'), 'auth.passwordRules', {})).toEqual({ requireSpecial: true });
    const refused = await call(admin, 'auth.changePassword', { currentPassword: ADMIN_PASSWORD, newPassword: 'Sommar2025' });
    expect(refused).toMatchObject({ ok: false, code: 'password-too-weak', message: expect.stringContaining('specialtecken') });
    await value(admin, 'auth.changePassword', { currentPassword: ADMIN_PASSWORD, newPassword: 'Sommar-2025' });
    await value(admin, 'staff.savePasswordRules', { requireSpecial: false });
    await value(admin, 'auth.changePassword', { currentPassword: 'Sommar-2025', newPassword: 'Vinter2026' });
  });

  it('must be changed before anything else when someone other than the owner chose it', async () => {
    const secret = await invitedOperator();
    // as migration 016 marks a password an administrator typed before it (see staff-accounts-migration.test.ts)
    await station.database.run("UPDATE staff_account SET password_change_required = 1 WHERE username = 'olle'");
    const olle = session('olle');
    expect(await login(olle, 'olle', 'Operator77', secret)).toMatchObject({ ok: true, operator: { mustChangePassword: true } });
    expect(await call(olle, 'people.search', { query: 'an', limit: 10 })).toMatchObject({ ok: false, code: 'password-change-required' });
    await value(olle, 'auth.changePassword', { currentPassword: 'Operator77', newPassword: 'Egetval88' });
    expect(await call(olle, 'people.search', { query: 'an', limit: 10 })).toMatchObject({ ok: true });
    expect((await value(olle, 'auth.status', {})).operator).toMatchObject({ mustChangePassword: false });
  });
});

describe('forgotten password: a code by SMS', () => {
  async function lockOut(username: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) await value(session('thief'), 'auth.loginPassword', { username, password: 'Gissat123', otp: '000000' });
  }

  async function requestCode(username: string): Promise<void> {
    expect(await value(session('forgot'), 'auth.requestResetCode', { username })).toEqual({ requested: true });
    await sms.deliverQueuedNow();
  }

  it('sends a 6-digit code to the registered mobile; unlock and keep the password', async () => {
    const secret = await invitedOperator();
    await lockOut('olle');
    expect(await value(session('x'), 'auth.loginPassword', { username: 'olle', password: 'Operator77', otp: codeFor(secret) })).toMatchObject({ ok: false, reason: 'locked' });
    await requestCode('olle');
    expect(gateway.arrived).toHaveLength(1);
    expect(gateway.arrived[0]).toMatchObject({ to: MOBILE, authorization: 'Bearer gateway-token-1' });
    const code = resetCodeIn(gateway.arrived[0]!.text);
    expect(code).toMatch(/^\d{6}$/);
    const stored = JSON.stringify([await station.database.all('SELECT body, sealed_body FROM outbox'), await station.database.all('SELECT * FROM staff_reset_code'), await station.database.all('SELECT details FROM audit_entry')]);
    expect(stored).not.toContain(code);

    expect(await value(session('forgot'), 'auth.resetWithCode', { username: 'olle', code, choice: 'unlock' })).toEqual({ unlocked: true });
    expect(await login(session('olle'), 'olle', 'Operator77', secret)).toMatchObject({ ok: true });
    // used once
    expect(await call(session('forgot'), 'auth.resetWithCode', { username: 'olle', code, choice: 'unlock' })).toMatchObject({ ok: false, code: 'reset-code-invalid' });
    expect((await auditActions('auth.reset-code-requested')).map((entry) => entry.outcome)).toEqual(['ok']);
    expect((await auditActions('auth.reset-code-used')).map((entry) => entry.outcome)).toEqual(['ok', 'refused']);
  });

  it('sets a new password with the code, refusing an old one without spending the code', async () => {
    const secret = await invitedOperator();
    await requestCode('olle');
    const code = resetCodeIn(gateway.arrived[0]!.text);
    expect(await call(session('forgot'), 'auth.resetWithCode', { username: 'olle', code, choice: 'new-password', newPassword: 'Operator77' })).toMatchObject({ ok: false, code: 'password-reused' });
    await value(session('forgot'), 'auth.resetWithCode', { username: 'olle', code, choice: 'new-password', newPassword: 'Nyttlosen9' });
    expect(await login(session('olle'), 'olle', 'Nyttlosen9', secret)).toMatchObject({ ok: true, operator: { mustChangePassword: false } });
    expect(await value(session('old'), 'auth.loginPassword', { username: 'olle', password: 'Operator77', otp: codeFor(secret) })).toMatchObject({ ok: false, reason: 'wrong-credentials' });
  });

  it('kills the code after 5 wrong tries', async () => {
    await invitedOperator();
    await requestCode('olle');
    const code = resetCodeIn(gateway.arrived[0]!.text);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(await call(session('forgot'), 'auth.resetWithCode', { username: 'olle', code: wrong, choice: 'unlock' })).toMatchObject({ ok: false, code: 'reset-code-invalid' });
    }
    expect(await call(session('forgot'), 'auth.resetWithCode', { username: 'olle', code, choice: 'unlock' })).toMatchObject({ ok: false, code: 'reset-code-invalid' });
  });

  it('is valid for 10 minutes', async () => {
    await invitedOperator();
    await requestCode('olle');
    const first = resetCodeIn(gateway.arrived[0]!.text);
    advance(10 * MINUTE + 1_000);
    expect(await call(session('forgot'), 'auth.resetWithCode', { username: 'olle', code: first, choice: 'unlock' })).toMatchObject({ ok: false, code: 'reset-code-invalid' });
    await requestCode('olle');
    const second = resetCodeIn(gateway.arrived[1]!.text);
    advance(10 * MINUTE - 1_000);
    expect(await value(session('forgot'), 'auth.resetWithCode', { username: 'olle', code: second, choice: 'unlock' })).toEqual({ unlocked: true });
  });

  it('answers the same for an unknown username and an account with no mobile, and sends nothing', async () => {
    await value(admin, 'staff.create', { username: 'utan', displayName: 'Utan Mobil', role: 'operator', email: 'utan@example.se' });
    const answers = await Promise.all(['okand.person', 'utan'].map((username) => station.router.call(session(username), 'auth.requestResetCode', { username })));
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toEqual({ ok: true, value: { requested: true } });
    await sms.deliverQueuedNow();
    expect(gateway.arrived).toHaveLength(0);
    expect(await call(session('x'), 'auth.resetWithCode', { username: 'okand.person', code: '123456', choice: 'unlock' })).toMatchObject({ ok: false, code: 'reset-code-invalid' });
  });

  it('sends at most 3 codes an hour to one account, and a new code replaces the old', async () => {
    await invitedOperator();
    for (let request = 0; request < 4; request++) await requestCode('olle');
    expect(gateway.arrived).toHaveLength(3);
    const [first, , third] = gateway.arrived.map((arrived) => resetCodeIn(arrived.text));
    if (first !== third) expect(await call(session('forgot'), 'auth.resetWithCode', { username: 'olle', code: first!, choice: 'unlock' })).toMatchObject({ ok: false, code: 'reset-code-invalid' });
    expect(await value(session('forgot'), 'auth.resetWithCode', { username: 'olle', code: third!, choice: 'unlock' })).toEqual({ unlocked: true });
    expect((await auditActions('auth.reset-code-requested')).map((entry) => JSON.parse(entry.details).reason ?? entry.outcome)).toEqual(['ok', 'ok', 'ok', 'rate-limited']);
    advance(61 * MINUTE);
    await requestCode('olle');
    expect(gateway.arrived).toHaveLength(4);
  });

  it('retries an SMS the gateway refused, and keeps no code once it is sent', async () => {
    await invitedOperator();
    gateway.failNext(1);
    expect(await value(session('forgot'), 'auth.requestResetCode', { username: 'olle' })).toEqual({ requested: true });
    expect(await sms.deliverQueuedNow()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const failed = await station.database.one<{ last_error: string; sealed: number }>("SELECT last_error, CASE WHEN sealed_body IS NULL THEN 0 ELSE 1 END AS sealed FROM outbox WHERE channel = 'sms'");
    expect(failed).toEqual({ last_error: 'SMS-gatewayen svarade 503', sealed: 1 });
    expect(await sms.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    advance(61_000);
    expect(await sms.deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(gateway.arrived).toHaveLength(1);
    const sent = await station.database.one<{ state: string; sealed: number; body: string }>("SELECT state, CASE WHEN sealed_body IS NULL THEN 0 ELSE 1 END AS sealed, body FROM outbox WHERE channel = 'sms'");
    expect(sent).toMatchObject({ state: 'sent', sealed: 0 });
    expect(sent!.body).not.toContain(resetCodeIn(gateway.arrived[0]!.text));
  });
});

describe('Senast inloggad', () => {
  it('shows the previous successful login and how', async () => {
    const secret = await invitedOperator();
    const firstAt = new Date(clock.getTime() + 31_000).toISOString();
    expect(await login(session('one'), 'olle', 'Operator77', secret)).toMatchObject({ ok: true, operator: { previousLogin: null } });
    advance(3 * 60 * MINUTE);
    const olle = session('two');
    expect(await login(olle, 'olle', 'Operator77', secret)).toMatchObject({ ok: true, operator: { previousLogin: { at: firstAt, method: 'password' } } });
    expect((await value(olle, 'auth.status', {})).operator).toMatchObject({ previousLogin: { at: firstAt, method: 'password' } });
  });
});

describe('administrator unlock', () => {
  it('opens a locked account and records the unlock', async () => {
    const secret = await invitedOperator();
    for (let attempt = 0; attempt < 5; attempt++) await value(session('thief'), 'auth.loginPassword', { username: 'olle', password: 'Gissat123', otp: '000000' });
    const olle = (await value(admin, 'staff.list', {})).find((account) => account.username === 'olle')!;
    expect(olle.lockedUntil).not.toBeNull();
    expect(await value(admin, 'staff.update', { id: olle.id, unlock: true })).toMatchObject({ lockedUntil: null });
    expect(await login(session('olle'), 'olle', 'Operator77', secret)).toMatchObject({ ok: true });
    expect(await auditActions('staff.unlocked')).toHaveLength(1);
  });
});
