// The SMTP relay from the environment: the password never lives in the station's database or its audit trail.
import type { MailTransportOptions } from './outbox';

export interface MailConfig {
  transport: MailTransportOptions;
  from: string;
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
  return {
    from,
    transport: {
      host,
      port,
      secure,
      requireStartTls: env.KORTSTATION_SMTP_STARTTLS === 'required',
      auth: user ? { user, pass: env.KORTSTATION_SMTP_PASSWORD ?? '' } : undefined,
    },
  };
}
