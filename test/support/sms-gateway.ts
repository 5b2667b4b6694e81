// A real HTTP SMS gateway on 127.0.0.1 that keeps what it receives; it can be told to fail, to show the outbox retrying.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ArrivedSms {
  to: string;
  text: string;
  authorization: string | undefined;
}

export interface RunningSmsGateway {
  url: string;
  arrived: ArrivedSms[];
  /** The next `count` requests get 503. */
  failNext(count: number): void;
  stop(): Promise<void>;
}

const bodyOf = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

export async function startSmsGateway(): Promise<RunningSmsGateway> {
  const arrived: ArrivedSms[] = [];
  let failures = 0;
  const server = createServer((request, response) => {
    void bodyOf(request).then((body) => {
      if (failures > 0) {
        failures--;
        response.writeHead(503).end('gateway busy');
        return;
      }
      const { to, text } = JSON.parse(body) as { to: string; text: string };
      arrived.push({ to, text, authorization: request.headers.authorization });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"queued"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    arrived,
    failNext: (count) => void (failures = count),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The six-digit code in a reset SMS. */
export function resetCodeIn(text: string): string {
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error('no code in the SMS');
  return code;
}
