// The SMTP relay from the environment: the password never lives in the station's database or its audit trail.
import type { MailTransportOptions } from './outbox';

export interface MailConfig {
  transport: MailTransportOptions;
  from: string;
}

/** A relay set-up that would send the SMTP password where someone on the network could read it. */
export class MailConfigError extends Error {
  override readonly name = 'MailConfigError';
}

/** KORTSTATION_SMTP_HOST and KORTSTATION_MAIL_FROM switch sending on; without them messages wait in the outbox. */
export function mailConfigFromEnv(env: NodeJS.ProcessEnv): MailConfig | undefined {
  const host = env.KORTSTATION_SMTP_HOST;
  const from = env.KORTSTATION_MAIL_FROM;
  if (!host || !from) return undefined;
  const secure = env.KORTSTATION_SMTP_SECURE === 'true';
  const port = Number(env.KORTSTATION_SMTP_PORT ?? (secure ? 465 : 587));
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new RangeError(`KORTSTATION_SMTP_PORT is not a port: ${env.KORTSTATION_SMTP_PORT}`);
  const user = env.KORTSTATION_SMTP_USER;
  const requireStartTls = env.KORTSTATION_SMTP_STARTTLS === 'required';
  if (user && !secure && !requireStartTls) {
    throw new MailConfigError(
      'KORTSTATION_SMTP_USER is set but the connection is not encrypted: set KORTSTATION_SMTP_SECURE=true (TLS, port 465) or KORTSTATION_SMTP_STARTTLS=required, so the password never travels in clear.',
    );
  }
  return {
    from,
    transport: {
      host,
      port,
      secure,
      requireStartTls,
      auth: user ? { user, pass: env.KORTSTATION_SMTP_PASSWORD ?? '' } : undefined,
    },
  };
}
