// The one entry to main's services for every host: name → schema check → role check → handler → envelope.
import * as v from 'valibot';
import { ERROR_CODES, isKioskOnly, procedures, type Envelope, type ErrorCode, type ProcedureName, type ProcedureOutput, type Role } from '@shared/contract';
import { isConnectionLoss } from './db/connection-loss';

export interface Operator {
  id: number;
  role: Role;
  /** The units a unit administrator was granted; empty for every other role. */
  unitIds: readonly number[];
  /** Someone other than the owner chose the password: only changing it (and what needs no login) is open. */
  mustChangePassword?: boolean;
}

/** One window's (or browser tab's) login, held in main: the renderer cannot grant itself a role. */
export interface Session {
  readonly id: string;
  operator: Operator | null;
}

/** What the host knows of the connection a call came on; never taken from the request body. */
export interface Connection {
  /** Server mode: the TLS client certificate the browser presented, leaf first, then any CA certificates it sent (DER). */
  clientCertificates?: readonly Uint8Array[];
}

export interface CallContext {
  session: Session;
  connection?: Connection;
}

type ParsedInput<N extends ProcedureName> = v.InferOutput<(typeof procedures)[N]['input']>;

export type Handlers = {
  [N in ProcedureName]: (input: ParsedInput<N>, context: CallContext) => Promise<ProcedureOutput<N>> | ProcedureOutput<N>;
};

export interface Router {
  call(session: Session, name: string, input: unknown, connection?: Connection): Promise<Envelope<unknown>>;
}

/** One finished call, for the audit trail: never the input itself, which may hold a PIN or a code. */
export interface FinishedCall {
  procedure: ProcedureName;
  session: Session;
  input: unknown;
  output?: unknown;
  outcome: 'ok' | 'refused' | 'failed';
}

export interface RouterOptions {
  /** Receives errors that were not coded (bugs); the caller only sees 'internal'. */
  onInternalError?: (procedure: string, error: unknown) => void;
  /** Called after every call that passed the role and schema checks. */
  onFinished?: (call: FinishedCall) => void | Promise<void>;
  /** A handler failed because the region database did not answer. */
  onRegisterLost?: (error: unknown) => void;
  /** Server mode: the kiosk-only procedures (card readers, first run) are refused before anything else. */
  kioskOnlyRefused?: boolean;
}

const isProcedureName = (name: string): name is ProcedureName => Object.hasOwn(procedures, name);
const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);

function failure(code: ErrorCode, message: string): Envelope<never> {
  return { ok: false, code, message };
}

/** valibot's default message quotes the received value, which may be a PIN, PUK or code: name only what was expected. */
const messageWithoutInput = (issue: v.BaseIssue<unknown>): string => `Invalid ${issue.kind === 'schema' ? 'type' : issue.type}${issue.expected ? `: expected ${issue.expected}` : ''}`;

function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${v.getDotPath(issue) ?? 'input'}: ${issue.message}`)
    .join('; ');
}

export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  return {
    async call(session, name, input, connection = {}) {
      if (!isProcedureName(name)) return failure('unknown-procedure', `Unknown procedure "${name.slice(0, 80)}"`);
      if (options.kioskOnlyRefused && isKioskOnly(name)) return failure('kiosk-only', `${name} finns bara på kortstationen (kortläsare behövs)`);
      const { input: schema, access } = procedures[name];
      if (access !== 'anyone') {
        if (!session.operator) return failure('not-logged-in', 'Log in first');
        if (!access.includes(session.operator.role)) return failure('forbidden', `Role ${session.operator.role} may not call ${name}`);
        if (session.operator.mustChangePassword && name !== 'auth.changePassword') return failure('password-change-required', 'Byt ditt lösenord innan du fortsätter.');
      }
      const parsed = v.safeParse(schema, input, { message: messageWithoutInput });
      if (!parsed.success) return failure('invalid-input', describeIssues(parsed.issues));
      const handler = handlers[name] as (input: unknown, context: CallContext) => unknown;
      const finished = async (outcome: FinishedCall['outcome'], output?: unknown): Promise<void> => {
        try {
          await options.onFinished?.({ procedure: name, session, input: parsed.output, output, outcome });
        } catch (error) {
          // the call itself is done either way; a failed record of it is a bug to see, not the caller's error
          options.onInternalError?.(name, error);
        }
      };
      let value: unknown;
      try {
        value = await handler(parsed.output, { session, connection });
      } catch (error) {
        if (isConnectionLoss(error)) {
          options.onRegisterLost?.(error);
          await finished('failed');
          return failure('register-unavailable', 'Ingen kontakt med regiondatabasen');
        }
        const code = (error as { code?: unknown } | null)?.code;
        if (error instanceof Error && isErrorCode(code) && code !== 'internal') {
          await finished('refused');
          return failure(code, error.message);
        }
        options.onInternalError?.(name, error);
        await finished('failed');
        return failure('internal', 'Internal error');
      }
      await finished('ok', value);
      return { ok: true, value };
    },
  };
}
