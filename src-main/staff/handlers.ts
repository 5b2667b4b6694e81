// The login, staff-account and first-run procedures over the auth and staff services.
import type { Handlers } from '../router';
import type { AuthService } from './auth';
import type { StaffService } from './staff';

type AuthProcedure = 'auth.status' | 'auth.loginPassword' | 'auth.loginCard' | 'auth.loginCertificate' | 'auth.logout' | 'auth.touch'
  | 'staff.list' | 'staff.create' | 'staff.update' | 'staff.setPassword' | 'staff.resetOtp' | 'setup.firstRun';

export function authHandlers(auth: AuthService, staff: StaffService): Pick<Handlers, AuthProcedure> {
  return {
    'auth.status': (_input, { session }) => auth.status(session),
    'auth.loginPassword': ({ username, password, otp }, { session }) => auth.loginPassword(session, username, password, otp),
    'auth.loginCard': ({ reader, pin }, { session }) => auth.loginCard(session, reader, pin),
    'auth.loginCertificate': (_input, { session, connection }) => auth.loginCertificate(session, connection?.clientCertificates ?? []),
    'auth.logout': (_input, { session }) => auth.logout(session),
    'auth.touch': (_input, { session }) => auth.touch(session),
    'staff.list': () => staff.list(),
    'staff.create': (input, { session }) => staff.create(session, input),
    'staff.update': (input, { session }) => staff.update(session, input),
    'staff.setPassword': ({ id, password }, { session }) => staff.setPassword(session, id, password),
    'staff.resetOtp': ({ id }, { session }) => staff.resetOtp(session, id),
    'setup.firstRun': (input, { session }) => staff.firstRun(session, input),
  };
}
