// Invitations by e-mail link: the new person (or one whose one-time code was reset) chooses their own password and enrols their code; single use, 7 days, re-issuing kills the old link.
import type { InvitationInfo, OtpEnrolment } from '@shared/contract';
import { AppError } from '../app-error';
import type { Db } from '../db/data-layer';
import { queueMail } from '../mail/outbox';
import type { DataKeySource } from '../tokens/seed-crypto';
import { checkStaffOtp, newOtpSeed, otpauthUri, sealStaffSeed } from './otp';
import { acceptedPasswordHash, readPasswordRules } from './password-rules';
import { newInvitationToken, secretDigest } from './secret-digest';
import type { StaffRow, StaffStore } from './store';

export const INVITATION_VALID_DAYS = 7;
const DAY_MS = 86_400_000;

export interface InvitationDeps {
  db: Db;
  store: StaffStore;
  dataKey: DataKeySource;
  now: () => Date;
  /** KORTSTATION_PUBLIC_URL: where people reach the station's pages; without it no link can be sent. */
  publicUrl: string | undefined;
  audit: (actor: string | null, action: string, details: Record<string, string | number>) => Promise<void>;
}

interface InvitationRow {
  id: number;
  staff_id: number;
  expires_at: string;
  pending_seed: Uint8Array | null;
}

// one refusal for an unknown, used, expired or replaced link: the page cannot tell which, nor can whoever guesses links
const invalid = (): AppError => new AppError('invitation-invalid', 'Länken gäller inte längre. Be din administratör om en ny inbjudan.');

/** "29 november 2026 kl. 21:04" in Swedish time, for the e-mail. */
const swedishDateTime = (at: Date): string =>
  at.toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });

export function createInvitations(deps: InvitationDeps) {
  const { db, store, dataKey, now } = deps;
  const digestOf = (token: string): string => secretDigest(dataKey, 'invitation', '', token);

  async function live(token: string): Promise<{ invitation: InvitationRow; account: StaffRow }> {
    const invitation = await db.one<InvitationRow>('SELECT id, staff_id, expires_at, pending_seed FROM staff_invitation WHERE token_digest = ? AND used_at IS NULL AND expires_at > ?', [
      digestOf(token),
      now().toISOString(),
    ]);
    const account = invitation && (await store.byId(invitation.staff_id));
    if (!invitation || !account || account.disabled) throw invalid();
    return { invitation, account };
  }

  return {
    /** A new link to the account's e-mail, in the caller's transaction; any earlier unused link stops working. */
    async issue(staffId: number, actor: string | null): Promise<void> {
      const account = await store.byId(staffId);
      if (!account) throw new AppError('staff-not-found', `Inget konto ${staffId}`);
      if (!account.email) throw new AppError('email-required', 'Kontot har ingen e-postadress att skicka inbjudan till.');
      if (!deps.publicUrl) throw new AppError('public-url-missing', 'Kortstationens publika adress (KORTSTATION_PUBLIC_URL) är inte inställd, så ingen inbjudningslänk kan skickas.');
      const at = now();
      const expires = new Date(at.getTime() + INVITATION_VALID_DAYS * DAY_MS);
      const token = newInvitationToken();
      await db.run('DELETE FROM staff_invitation WHERE staff_id = ? AND used_at IS NULL', [staffId]);
      await db.run('INSERT INTO staff_invitation (staff_id, token_digest, created_at, expires_at) VALUES (?, ?, ?, ?)', [staffId, digestOf(token), at.toISOString(), expires.toISOString()]);
      await queueMail(db, {
        to: account.email,
        template: 'staff-invitation',
        values: { namn: account.display_name, anvandarnamn: account.username, lank: `${deps.publicUrl.replace(/\/+$/, '')}/#/invitation/${token}`, giltigTill: swedishDateTime(expires) },
        at,
        sealWith: dataKey,
      });
      await deps.audit(actor, 'staff.invitation-sent', { staffId, expiresAt: expires.toISOString() });
    },

    async open(token: string): Promise<InvitationInfo> {
      const { account } = await live(token);
      return { username: account.username, displayName: account.display_name, needsPassword: account.password_hash === null, rules: await readPasswordRules(db) };
    },

    /** A fresh key for the page to show; it only becomes the account's when a code from it is confirmed. */
    async enrol(token: string): Promise<OtpEnrolment> {
      const { invitation, account } = await live(token);
      const seed = newOtpSeed();
      try {
        await db.run('UPDATE staff_invitation SET pending_seed = ? WHERE id = ?', [sealStaffSeed(dataKey, account.id, seed), invitation.id]);
        return { otpauthUri: otpauthUri(account.username, seed) };
      } finally {
        seed.fill(0);
      }
    },

    /** Sets the owner's password (when the account has none) and the confirmed code; the link is used up. */
    async complete(token: string, password: string | undefined, otp: string): Promise<{ username: string }> {
      const first = await live(token);
      const needsPassword = first.account.password_hash === null;
      if (needsPassword && password === undefined) throw new AppError('password-too-weak', 'Välj ett lösenord.');
      // hashed before the transaction: argon2 is slow and a retried PostgreSQL transaction would hash again
      const passwordHash = needsPassword && password !== undefined ? await acceptedPasswordHash(db, store, first.account.id, password) : null;
      return db.transaction(async () => {
        const { invitation, account } = await live(token);
        if (!invitation.pending_seed) throw new AppError('wrong-otp', 'Visa nyckeln för engångskoder först och skriv sedan en kod från den.');
        const verification = checkStaffOtp(dataKey, { sealedSeed: invitation.pending_seed, staffId: account.id, code: otp, lastUsedStep: null, now: now() });
        if (!verification.valid) throw new AppError('wrong-otp', 'Engångskoden stämmer inte. Skriv den kod som visas just nu.');
        const at = now().toISOString();
        if (passwordHash) await store.setPassword(account.id, passwordHash, at, true);
        // sealed for this account already: it moves as it is
        await store.setOtpSeed(account.id, Buffer.from(invitation.pending_seed), at);
        await store.recordOtpUse(account.id, verification.timeStep);
        await db.run('UPDATE staff_invitation SET used_at = ?, pending_seed = NULL WHERE id = ?', [at, invitation.id]);
        await deps.audit(String(account.id), 'staff.invitation-accepted', { staffId: account.id, enrolled: passwordHash ? 'account' : 'one-time-code-only' });
        return { username: account.username };
      });
    },
  };
}

export type Invitations = ReturnType<typeof createInvitations>;
