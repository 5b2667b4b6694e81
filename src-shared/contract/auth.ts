// Procedures of staff login, staff accounts and the first run; secrets in inputs carry fixed messages so a refusal never echoes them.
import * as v from 'valibot';
import { isValidHsaId, normalizeHsaId } from '../domain/hsa-id';
import { noInput, procedure, ROLES, type Role } from './procedure';
import { readerName } from './cards';

export type SessionEndReason = 'idle' | 'card-removed' | 'logout';

export interface OperatorInfo {
  displayName: string;
  role: Role;
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
  passwordSet: boolean;
  tokenEnrolled: boolean;
  disabled: boolean;
  lockedUntil: string | null;
}

/** Shown once: the otpauth:// URI an authenticator app or programmable token is enrolled from. */
export interface OtpEnrolment {
  otpauthUri: string;
}

export interface CreatedStaff {
  account: StaffAccount;
  /** null for a card-only account, created without a password. */
  otpauthUri: string | null;
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

export const authProcedures = {
  'auth.status': procedure<AuthStatus>()(noInput, 'anyone'),
  // login is lenient about the username's shape: a malformed one is just a wrong login
  'auth.loginPassword': procedure<LoginResult>()(v.strictObject({ username: v.pipe(v.string(), v.maxLength(128)), password, otp }), 'anyone'),
  'auth.loginCard': procedure<LoginResult>()(v.strictObject({ reader: readerName, pin }), 'anyone'),
  // server mode: the SITHS card's certificate the browser presented in the TLS handshake, handed over by the host, never in the input
  'auth.loginCertificate': procedure<LoginResult>()(noInput, 'anyone'),
  'auth.logout': procedure<{ loggedOut: boolean }>()(noInput, 'anyone'),
  // anyone: a session that already ended is told so instead of refused
  'auth.touch': procedure<{ loggedIn: boolean }>()(noInput, 'anyone'),
  'staff.list': procedure<StaffAccount[]>()(noInput, ['org-admin', 'station-admin']),
  'staff.create': procedure<CreatedStaff>()(
    v.strictObject({ username: usernameSchema, displayName, role, hsaId: v.optional(hsaId), unitIds: v.optional(unitIds), password: v.optional(password) }),
    ['org-admin'],
  ),
  'staff.update': procedure<StaffAccount>()(
    v.strictObject({
      id: recordId,
      displayName: v.optional(displayName),
      role: v.optional(role),
      hsaId: v.optional(v.nullable(hsaId)),
      unitIds: v.optional(unitIds),
      disabled: v.optional(v.boolean()),
      /** Opens a locked account at once. */
      unlock: v.optional(v.literal(true)),
    }),
    ['org-admin'],
  ),
  'staff.setPassword': procedure<StaffAccount>()(v.strictObject({ id: recordId, password }), ['org-admin']),
  'staff.resetOtp': procedure<OtpEnrolment>()(v.strictObject({ id: recordId }), ['org-admin']),
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
  'staff-not-found',
  'last-org-admin',
] as const;
