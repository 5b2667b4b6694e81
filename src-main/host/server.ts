// Server mode: the staff pages over HTTPS to browsers on the hospital network, with SITHS client-certificate login, CSRF tokens and rate limits.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { x509 } from '../card/x509';
import type { Connection, Router } from '../router';
import { CONTENT_SECURITY_POLICY } from '../security/csp';
import { answerFailure, decodePath, parseUrl, readJson, sendJson, serveEvents, serveStatic, type EventSources } from './http-common';
import { RateLimiter, type Limit } from './rate-limit';
import { sessionCookieOf, WebSessions, type WebSession } from './web-sessions';

/** `__Host-`: the browser keeps it only when Secure, Path=/ and without Domain, so no other host of the network can plant one. */
export const SERVER_SESSION_COOKIE = '__Host-kortstation-session';
export const CSRF_HEADER = 'x-kortstation-csrf';
/** GET: the session's CSRF token (and a new anonymous session's cookie when the browser had none). */
export const SESSION_PATH = '/api/session';
const SWEEP_MS = 60_000;

const SECURITY_HEADERS: Record<string, string> = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

const LOGIN_PROCEDURES: ReadonlySet<string> = new Set(['auth.loginPassword', 'auth.loginCertificate']);
// a login or logout gives the browser a new cookie value: one planted or seen before it opens nothing after
const RENEWING_PROCEDURES: ReadonlySet<string> = new Set([...LOGIN_PROCEDURES, 'auth.logout']);

export interface RateLimits {
  /** Every request of one client address. */
  requestsPerAddress: Limit;
  /** Login calls of one client address. */
  loginsPerAddress: Limit;
  /** Password logins naming one username, from any address. */
  loginsPerAccount: Limit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  requestsPerAddress: { max: 1200, windowMs: 60_000 },
  loginsPerAddress: { max: 30, windowMs: 60_000 },
  loginsPerAccount: { max: 10, windowMs: 60_000 },
};

export interface ServerHostOptions extends EventSources {
  router: Router;
  staticDir: string;
  host: string;
  port: number;
  /** The server's certificate chain and key (PEM). */
  tls: { cert: string | Buffer; key: string | Buffer };
  /** The SITHS roots the handshake names to the browser; the certificate it presents is checked against them by the login itself. */
  clientCaRoots: readonly Uint8Array[];
  /** A plain-HTTP port that only redirects to HTTPS. */
  httpRedirectPort?: number;
  limits?: Partial<RateLimits>;
  sessions?: WebSessions;
}

export interface ServerHost {
  server: HttpsServer;
  redirect: HttpServer | null;
  port: number;
  redirectPort: number | null;
  url: string;
  /** The staff login on this router session ended: the browser's cookie is replaced at its next request. */
  renewSession(sessionId: string): void;
  close(): Promise<void>;
}

const secret = (): string => randomBytes(32).toString('base64url');

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const cookieHeader = (value: string): string => `${SERVER_SESSION_COOKIE}=${value}; Path=/; Secure; HttpOnly; SameSite=Strict`;

/** The client certificate and the CA certificates the browser sent with it, leaf first (DER); empty when it sent none. */
export function clientCertificateChain(socket: TLSSocket): Uint8Array[] {
  const chain: Uint8Array[] = [];
  let certificate: PeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (certificate?.raw && !seen.has(certificate.fingerprint256)) {
    seen.add(certificate.fingerprint256);
    chain.push(new Uint8Array(certificate.raw));
    certificate = (certificate as { issuerCertificate?: PeerCertificate }).issuerCertificate;
  }
  return chain;
}

function listen(server: HttpServer | HttpsServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startServerHost(options: ServerHostOptions): Promise<ServerHost> {
  const sessions = options.sessions ?? new WebSessions();
  const limits = { ...DEFAULT_RATE_LIMITS, ...options.limits };
  const requestLimit = new RateLimiter(limits.requestsPerAddress);
  const loginAddressLimit = new RateLimiter(limits.loginsPerAddress);
  const loginAccountLimit = new RateLimiter(limits.loginsPerAccount);
  const csrfTokens = new WeakMap<WebSession, string>();

  const refuseRate = (response: ServerResponse, retryAfterSeconds: number): void =>
    sendJson(response, 429, { ok: false, code: 'rate-limited', message: `För många försök. Försök igen om ${retryAfterSeconds} sekunder.` }, { 'retry-after': String(retryAfterSeconds) });

  /** The session a request belongs to; GET /api/session opens an anonymous one for a browser without a cookie. */
  const sessionPage = (request: IncomingMessage, response: ServerResponse): void => {
    const cookieValue = sessionCookieOf(request.headers.cookie, SERVER_SESSION_COOKIE);
    const found = sessions.find(cookieValue);
    const opened = found ? null : sessions.openAnonymous();
    const caller = found ?? opened!.session;
    let token = csrfTokens.get(caller);
    if (!token) {
      token = secret();
      csrfTokens.set(caller, token);
    }
    sendJson(response, 200, { csrfToken: token }, opened ? { 'set-cookie': cookieHeader(opened.cookieValue) } : {});
  };

  const checkLoginRate = (name: string, address: string, input: unknown): number | null => {
    if (!LOGIN_PROCEDURES.has(name)) return null;
    const byAddress = loginAddressLimit.take(address);
    if (!byAddress.allowed) return byAddress.retryAfterSeconds;
    const username = (input as { username?: unknown } | null)?.username;
    if (typeof username !== 'string') return null;
    const byAccount = loginAccountLimit.take(username.trim().toLowerCase());
    return byAccount.allowed ? null : byAccount.retryAfterSeconds;
  };

  const handleApi = async (request: IncomingMessage, response: ServerResponse, pathname: string, address: string): Promise<void> => {
    if (pathname === SESSION_PATH && request.method === 'GET') return sessionPage(request, response);
    const cookieValue = sessionCookieOf(request.headers.cookie, SERVER_SESSION_COOKIE);
    const caller = sessions.find(cookieValue);
    if (!caller || !cookieValue) return sendJson(response, 401, { ok: false, code: 'not-logged-in', message: `Ingen session: hämta ${SESSION_PATH} först` });
    if (pathname === '/api/events' && request.method === 'GET') {
      sessions.streamOpened(caller);
      return serveEvents(request, response, options, caller.session.id, () => sessions.streamClosed(caller));
    }
    if (request.method !== 'POST') return sendJson(response, 405, { error: 'use POST' });
    const csrf = csrfTokens.get(caller);
    const given = request.headers[CSRF_HEADER];
    if (!csrf || !sameSecret(typeof given === 'string' ? given : undefined, csrf)) {
      return sendJson(response, 403, { ok: false, code: 'forbidden', message: 'CSRF-token saknas eller stämmer inte' });
    }
    const name = decodePath(pathname.slice('/api/call/'.length));
    if (!pathname.startsWith('/api/call/') || !name) return sendJson(response, 404, { error: 'not found' });
    const input = await readJson(request);
    const retryAfter = checkLoginRate(name, address, input);
    if (retryAfter !== null) return refuseRate(response, retryAfter);
    const connection: Connection = name === 'auth.loginCertificate' ? { clientCertificates: clientCertificateChain(request.socket as TLSSocket) } : {};
    const envelope = await options.router.call(caller.session, name, input, connection);
    const succeeded = envelope.ok && (name === 'auth.logout' || (envelope.value as { ok?: boolean } | null)?.ok !== false);
    const renewed = (RENEWING_PROCEDURES.has(name) && succeeded) || caller.renewalDue ? sessions.renew(cookieValue) : null;
    sendJson(response, 200, envelope, renewed ? { 'set-cookie': cookieHeader(renewed.cookieValue) } : {});
  };

  const server = createHttpsServer(
    {
      cert: options.tls.cert,
      key: options.tls.key,
      // asks for the SITHS card's certificate but lets a browser without one in: password and code still work
      requestCert: true,
      rejectUnauthorized: false,
      ca: options.clientCaRoots.map((der) => x509.PemConverter.encode(Uint8Array.from(der).buffer, 'CERTIFICATE')),
      minVersion: 'TLSv1.2',
    },
    (request, response) => {
      for (const [header, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(header, value);
      try {
        const address = request.socket.remoteAddress ?? 'unknown';
        const verdict = requestLimit.take(address);
        if (!verdict.allowed) return refuseRate(response, verdict.retryAfterSeconds);
        const host = request.headers.host ?? '';
        const origin = request.headers.origin;
        const writes = request.method !== 'GET' && request.method !== 'HEAD';
        const url = parseUrl(request.url ?? '/', host);
        const api = url.pathname.startsWith('/api/');
        const fetchSite = request.headers['sec-fetch-site'];
        // a state-changing request must come from a page of this server, and the API answers no other site's page; a link from the intranet still opens the page
        if ((writes && origin !== `https://${host}`) || (api && origin !== undefined && origin !== `https://${host}`) || (api && fetchSite !== undefined && fetchSite !== 'same-origin')) {
          return sendJson(response, 403, { ok: false, code: 'forbidden', message: 'Fel ursprung (Origin)' });
        }
        if (api) {
          handleApi(request, response, url.pathname, address).catch((error: unknown) => answerFailure(response, error));
          return;
        }
        if (writes) return sendJson(response, 405, { error: 'method not allowed' });
        serveStatic(options.staticDir, url.pathname === '/' ? '/index.html' : url.pathname, response);
      } catch (error) {
        answerFailure(response, error);
      }
    },
  );
  server.on('secureConnection', (socket: TLSSocket) => {
    // a certificate whose chain failed OpenSSL's check (a look-alike CA's signature) leaves that error queued, and Node would then fail this connection's first read with it (ERR_SSL_EVP_LIB): reading the certificate clears the queue, so the browser gets the login's Swedish refusal instead of a reset
    if (!socket.authorized) socket.getPeerX509Certificate();
  });
  server.on('tlsClientError', () => {
    // a browser that dropped the handshake (no certificate chosen, a scanner): nothing to answer
  });

  const port = await listen(server, options.port, options.host);
  const redirect =
    options.httpRedirectPort === undefined
      ? null
      : createHttpServer((request, response) => {
          const hostname = (request.headers.host ?? options.host).replace(/:\d+$/, '');
          response.writeHead(308, { location: `https://${hostname}${port === 443 ? '' : `:${port}`}${request.url ?? '/'}`, 'strict-transport-security': SECURITY_HEADERS['strict-transport-security']! });
          response.end();
        });
  const redirectPort = redirect ? await listen(redirect, options.httpRedirectPort!, options.host) : null;
  const sweeper = setInterval(() => {
    sessions.sweep();
    for (const limiter of [requestLimit, loginAddressLimit, loginAccountLimit]) limiter.sweep();
  }, SWEEP_MS);
  sweeper.unref();

  const closeServer = (toClose: HttpServer | HttpsServer): Promise<void> =>
    new Promise((resolve) => {
      toClose.closeAllConnections();
      toClose.close(() => resolve());
    });
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    server,
    redirect,
    port,
    redirectPort,
    url: `https://${shownHost}:${port}/`,
    renewSession: (sessionId) => sessions.renewAtNextRequest(sessionId),
    close: async () => {
      clearInterval(sweeper);
      await Promise.all([closeServer(server), ...(redirect ? [closeServer(redirect)] : [])]);
    },
  };
}
