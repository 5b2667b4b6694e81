// The login, staff-account and first-run procedures over the auth and staff services.
import type { Handlers } from '../router';
import type { AuthService } from './auth';
import type { Invitations } from './invitations';
import type { PasswordReset } from './password-reset';
import type { StaffService } from './staff';

type AuthProcedure = 'auth.status' | 'auth.loginPassword' | 'auth.loginCard' | 'auth.loginCertificate' | 'auth.logout' | 'auth.touch'
  | 'auth.changePassword' | 'auth.passwordRules' | 'auth.requestResetCode' | 'auth.resetWithCode'
  | 'invitation.open' | 'invitation.enrol' | 'invitation.complete'
  | 'staff.list' | 'staff.create' | 'staff.update' | 'staff.sendInvitation' | 'staff.resetOtp' | 'staff.savePasswordRules' | 'setup.firstRun';

export function authHandlers(auth: AuthService, staff: StaffService, invitations: Invitations, reset: PasswordReset): Pick<Handlers, AuthProcedure> {
  return {
    'auth.status': (_input, { session }) => auth.status(session),
    'auth.loginPassword': ({ username, password, otp }, { session }) => auth.loginPassword(session, username, password, otp),
    'auth.loginCard': ({ reader, pin }, { session }) => auth.loginCard(session, reader, pin),
    'auth.loginCertificate': (_input, { session, connection }) => auth.loginCertificate(session, connection?.clientCertificates ?? []),
    'auth.logout': (_input, { session }) => auth.logout(session),
    'auth.touch': (_input, { session }) => auth.touch(session),
    'auth.changePassword': ({ currentPassword, newPassword }, { session }) => staff.changePassword(session, currentPassword, newPassword),
    'auth.passwordRules': () => staff.passwordRules(),
    'auth.requestResetCode': ({ username }) => reset.request(username),
    'auth.resetWithCode': (input) => reset.reset(input.username, input.code, input.choice === 'unlock' ? { choice: 'unlock' } : { choice: 'new-password', newPassword: input.newPassword }),
    'invitation.open': ({ token }) => invitations.open(token),
    'invitation.enrol': ({ token }) => invitations.enrol(token),
    'invitation.complete': ({ token, password, otp }) => invitations.complete(token, password, otp),
    'staff.list': () => staff.list(),
    'staff.create': (input, { session }) => staff.create(session, input),
    'staff.update': (input, { session }) => staff.update(session, input),
    'staff.sendInvitation': ({ id }, { session }) => staff.sendInvitation(session, id),
    'staff.resetOtp': ({ id }, { session }) => staff.resetOtp(session, id),
    'staff.savePasswordRules': (rules, { session }) => staff.savePasswordRules(session, rules),
    'setup.firstRun': (input, { session }) => staff.firstRun(session, input),
  };
}
