// Procedures of staff login, staff accounts and the first run; secrets in inputs carry fixed messages so a refusal never echoes them.
import * as v from 'valibot';
import { isValidHsaId, normalizeHsaId } from '../domain/hsa-id';
import { normalizeSwedishMobile } from '../domain/phone';
import type { PasswordRuleSettings } from '../domain/password-policy';

export type { PasswordRuleSettings };
import { noInput, procedure, ROLES, type Role } from './procedure';
import { readerName } from './cards';

export type SessionEndReason = 'idle' | 'card-removed' | 'logout';

/** certificate: the browser's client certificate in server mode. */
export type LoginMethod = 'password' | 'card' | 'certificate';

export interface OperatorInfo {
  displayName: string;
  role: Role;
  /** The login before this one ("Senast inloggad"); null the first time. */
  previousLogin: { at: string; method: LoginMethod } | null;
  /** Someone other than the owner chose the password: nothing else opens until the owner changes it. */
  mustChangePassword: boolean;
  /** False for a card-only account, which has no password to change. */
  hasPassword: boolean;
}

export interface AuthStatus {
  operator: OperatorInfo | null;
  /** True while the database has no staff account: the kiosk asks for the first organisation administrator. */
  firstRun: boolean;
  idleMinutes: number;
}

export type LoginRefusal =
  /** Unknown username, wrong password or wrong code: which one is not told. */
  | 'wrong-credentials'
  | 'locked'
  | 'account-disabled'
  /** Right password, but the account has no one-time-code token enrolled yet. */
  | 'otp-not-enrolled'
  | 'wrong-pin'
  | 'pin-blocked'
  | 'invalid-pin-format'
  /** Neither a SITHS (PKCS#15) nor a PIV card, or no authentication certificate with an HSA-ID. */
  | 'unknown-card'
  /** The card's HSA-ID belongs to no staff account. */
  | 'card-not-registered'
  /** The authentication certificate is expired, revoked or not issued by a trusted CA. */
  | 'card-not-trusted'
  /** No CRL of the certificate's issuer is imported, or only one past its nextUpdate: revocation can't be ruled out. */
  | 'revocation-unavailable'
  /** After the right PIN the card did not sign the challenge with the certificate's key (a copied certificate, or a broken card). */
  | 'key-not-proven'
  /** Server mode: the browser presented no client certificate (no SITHS card in the reader, or Net iD declined). */
  | 'no-certificate';

export type LoginResult =
  | { ok: true; operator: OperatorInfo }
  /** lockedUntil: ISO instant when reason is 'locked'; triesLeft: the card's PIN tries when reason is 'wrong-pin'. */
  | { ok: false; reason: LoginRefusal; lockedUntil: string | null; triesLeft: number | null };

export interface StaffAccount {
  id: number;
  username: string;
  displayName: string;
  hsaId: string | null;
  role: Role;
  unitIds: number[];
  email: string | null;
  /** E.164, e.g. +46701234567: where a reset code is sent. */
  mobile: string | null;
  passwordSet: boolean;
  tokenEnrolled: boolean;
  /** An invitation link that is still unused and unexpired. */
  invitationPending: boolean;
  disabled: boolean;
  lockedUntil: string | null;
}

/** Shown once: the otpauth:// URI an authenticator app or programmable token is enrolled from. */
export interface OtpEnrolment {
  otpauthUri: string;
}

export interface CreatedStaff {
  account: StaffAccount;
  /** True when an invitation link was queued to the account's e-mail; a card-only account gets none. */
  invitationSent: boolean;
}

/** What the invitation page shows before the person chooses anything; the same refusal for an unknown, used or expired link. */
export interface InvitationInfo {
  username: string;
  displayName: string;
  /** False when the account has a password already (the one-time code was reset): only the code is enrolled. */
  needsPassword: boolean;
  rules: PasswordRuleSettings;
}

/** One answer whether or not the username exists or has a mobile number: only the owner's phone tells. */
export interface ResetCodeRequested {
  requested: true;
}

/** The longest password accepted, so argon2 never hashes megabytes. */
export const MAX_PASSWORD_LENGTH = 256;
export const OTP_DIGITS = 6;

// fixed messages: valibot's defaults quote the received value, which for these fields is a secret
const secretText = (what: string) => v.string(`${what} must be text`);
const password = v.pipe(secretText('password'), v.minLength(1, 'password is required'), v.maxLength(MAX_PASSWORD_LENGTH, 'password is too long'));
const otp = v.pipe(secretText('code'), v.regex(new RegExp(`^\\d{${OTP_DIGITS}}$`), `the code must be ${OTP_DIGITS} digits`));
const pin = v.pipe(secretText('PIN'), v.regex(/^\d{4,12}$/, 'the PIN must be 4–12 digits'));

export const usernameSchema = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'username: 2–64 of a–z, 0–9, . _ -'));
const displayName = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(120));
const hsaId = v.pipe(v.string(), v.transform(normalizeHsaId), v.check(isValidHsaId, 'not a valid HSA-ID'));
const recordId = v.pipe(v.number(), v.integer(), v.minValue(1));
const unitIds = v.pipe(v.array(recordId), v.maxLength(500));
const role = v.picklist(ROLES);
const email = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(254), v.email('not an e-mail address'));
const mobile = v.pipe(
  v.string(),
  v.transform(normalizeSwedishMobile),
  v.check((value): value is string => value !== null, 'not a Swedish mobile number (070, 072, 073, 076, 079)'),
  v.transform((value) => value as string),
);
// the link's token: 32 random bytes in base64url
const invitationToken = v.pipe(secretText('link'), v.regex(/^[A-Za-z0-9_-]{43}$/, 'the link is not a Kortstation invitation'));
const resetCode = v.pipe(secretText('code'), v.regex(/^\d{6}$/, 'the code must be 6 digits'));
const loginUsername = v.pipe(v.string(), v.maxLength(128));

export const authProcedures = {
  'auth.status': procedure<AuthStatus>()(noInput, 'anyone'),
  // login is lenient about the username's shape: a malformed one is just a wrong login
  'auth.loginPassword': procedure<LoginResult>()(v.strictObject({ username: loginUsername, password, otp }), 'anyone'),
  'auth.loginCard': procedure<LoginResult>()(v.strictObject({ reader: readerName, pin }), 'anyone'),
  // server mode: the SITHS card's certificate the browser presented in the TLS handshake, handed over by the host, never in the input
  'auth.loginCertificate': procedure<LoginResult>()(noInput, 'anyone'),
  'auth.logout': procedure<{ loggedOut: boolean }>()(noInput, 'anyone'),
  // anyone: a session that already ended is told so instead of refused
  'auth.touch': procedure<{ loggedIn: boolean }>()(noInput, 'anyone'),
  // every role: the owner, old password first; also the way out of a forced change
  'auth.changePassword': procedure<{ changed: true }>()(v.strictObject({ currentPassword: password, newPassword: password }), ROLES),
  'auth.passwordRules': procedure<PasswordRuleSettings>()(noInput, 'anyone'),
  // "Glömt lösenord": a code by SMS to the registered mobile; the same answer for every username
  'auth.requestResetCode': procedure<ResetCodeRequested>()(v.strictObject({ username: loginUsername }), 'anyone'),
  // the seed's two choices: keep the password and unlock, or choose a new one and unlock
  'auth.resetWithCode': procedure<{ unlocked: true }>()(
    v.variant('choice', [
      v.strictObject({ username: loginUsername, code: resetCode, choice: v.literal('unlock') }),
      v.strictObject({ username: loginUsername, code: resetCode, choice: v.literal('new-password'), newPassword: password }),
    ]),
    'anyone',
  ),
  'invitation.open': procedure<InvitationInfo>()(v.strictObject({ token: invitationToken }), 'anyone'),
  // a fresh one-time-code key for the page to show; nothing on the account changes until invitation.complete
  'invitation.enrol': procedure<OtpEnrolment>()(v.strictObject({ token: invitationToken }), 'anyone'),
  'invitation.complete': procedure<{ username: string }>()(v.strictObject({ token: invitationToken, password: v.optional(password), otp }), 'anyone'),
  'staff.list': procedure<StaffAccount[]>()(noInput, ['org-admin', 'station-admin']),
  'staff.create': procedure<CreatedStaff>()(
    v.strictObject({ username: usernameSchema, displayName, role, hsaId: v.optional(hsaId), unitIds: v.optional(unitIds), email: v.optional(email), mobile: v.optional(mobile) }),
    ['org-admin'],
  ),
  'staff.update': procedure<StaffAccount>()(
    v.strictObject({
      id: recordId,
      displayName: v.optional(displayName),
      role: v.optional(role),
      hsaId: v.optional(v.nullable(hsaId)),
      unitIds: v.optional(unitIds),
      email: v.optional(v.nullable(email)),
      mobile: v.optional(v.nullable(mobile)),
      disabled: v.optional(v.boolean()),
      /** Opens a locked account at once. */
      unlock: v.optional(v.literal(true)),
    }),
    ['org-admin'],
  ),
  // a new link to the account's e-mail; the earlier one stops working
  'staff.sendInvitation': procedure<StaffAccount>()(v.strictObject({ id: recordId }), ['org-admin']),
  // removes the enrolled one-time code and e-mails a link where the owner enrols a new one; the administrator never sees the key
  'staff.resetOtp': procedure<StaffAccount>()(v.strictObject({ id: recordId }), ['org-admin']),
  'staff.savePasswordRules': procedure<PasswordRuleSettings>()(v.strictObject({ requireSpecial: v.boolean() }), ['org-admin']),
  // only while the database has no staff; refused with 'setup-already-done' afterwards
  'setup.firstRun': procedure<OtpEnrolment>()(
    v.strictObject({
      organisationName: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(120))),
      stationName: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80)),
      admin: v.strictObject({ username: usernameSchema, displayName, password, hsaId: v.optional(hsaId) }),
    }),
    'anyone',
  ),
} as const;

export const AUTH_ERROR_CODES = [
  'setup-already-done',
  'username-taken',
  'hsa-id-taken',
  'password-too-weak',
  'password-reused',
  'wrong-password',
  'password-change-required',
  'invitation-invalid',
  'reset-code-invalid',
  'email-required',
  'public-url-missing',
  'wrong-otp',
  'staff-not-found',
  'last-org-admin',
] as const;
