// SMS through an HTTP gateway (POST {to, text} as JSON), configured from the environment and sent by the outbox's claim-and-retry loop.
import { createOutboxSender, type DeliveryOptions, type OutboxSender } from './outbox';

export interface SmsConfig {
  url: string;
  /** HTTP Basic credentials, or a bearer token: never in the database or the audit trail. */
  auth?: { kind: 'basic'; user: string; password: string } | { kind: 'bearer'; token: string };
}

export class SmsConfigError extends Error {
  override readonly name = 'SmsConfigError';
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
const GATEWAY_TIMEOUT_MS = 15_000;

/** KORTSTATION_SMS_URL switches SMS on; KORTSTATION_SMS_TOKEN or KORTSTATION_SMS_USER + KORTSTATION_SMS_PASSWORD authenticate. Without a URL SMS wait in the outbox. */
export function smsConfigFromEnv(env: NodeJS.ProcessEnv): SmsConfig | undefined {
  const raw = env.KORTSTATION_SMS_URL;
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SmsConfigError(`KORTSTATION_SMS_URL är ingen adress: ${raw}`);
  }
  const auth: SmsConfig['auth'] = env.KORTSTATION_SMS_TOKEN
    ? { kind: 'bearer', token: env.KORTSTATION_SMS_TOKEN }
    : env.KORTSTATION_SMS_USER
      ? { kind: 'basic', user: env.KORTSTATION_SMS_USER, password: env.KORTSTATION_SMS_PASSWORD ?? '' }
      : undefined;
  // the codes and the credentials travel in the request: in clear only to a gateway on this machine
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new SmsConfigError('KORTSTATION_SMS_URL måste vara en https-adress (http bara till en gateway på samma dator), så att koderna inte skickas i klartext.');
  }
  return { url: url.toString(), ...(auth ? { auth } : {}) };
}

function authorization(auth: SmsConfig['auth']): Record<string, string> {
  if (!auth) return {};
  if (auth.kind === 'bearer') return { authorization: `Bearer ${auth.token}` };
  return { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` };
}

export function createSmsSender(options: DeliveryOptions & { gateway: SmsConfig }): OutboxSender {
  const { gateway } = options;
  const secret = gateway.auth?.kind === 'bearer' ? gateway.auth.token : gateway.auth?.password;
  return createOutboxSender(options, {
    channel: 'sms',
    async send(message) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authorization(gateway.auth) },
        body: JSON.stringify({ to: message.to, text: message.body }),
        signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
      });
      // the gateway's reply body may echo the text (and its code): only the status is kept
      await response.body?.cancel();
      if (!response.ok) throw new Error(`SMS-gatewayen svarade ${response.status}`);
    },
    ...(secret ? { secret } : {}),
  });
}
