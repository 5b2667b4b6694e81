// Browser mode: the same router over HTTP and server-sent events, on 127.0.0.1 only, behind a session cookie won with a one-time launch token.
import { closeSync, createReadStream, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { StationEvent } from '@shared/contract';
import type { Router } from '../router';
import { CONTENT_SECURITY_POLICY } from '../security/csp';
import { sessionCookieHeader, sessionCookieOf, WebSessions, type WebSession } from './web-sessions';

export const LAUNCH_PATH = '/api/launch';
/** The query parameter that carries a launch token to the page, which trades it once and drops it from the address bar. */
export const LAUNCH_PARAMETER = 'launch';
// the largest upload the contract allows (a 20 MB CRL, base64) fits
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;
const SWEEP_MS = 60_000;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface WebHostOptions {
  router: Router;
  onEvent(listener: (event: StationEvent) => void): () => void;
  /** Events that belong to one router session (a job's progress): each goes only to that session's event streams. */
  onSessionEvent?(listener: (sessionId: string, event: StationEvent) => void): () => void;
  /** The built renderer (electron-vite's out/renderer). */
  staticDir: string;
  port?: number;
  /** Keeps a live launch token in this file (created 0600), renewed after each use: the way in without `--open`. */
  launchTokenFile?: string;
  /** Told when a window traded its launch token; `kiosk` for the one that started the host. */
  onAdmitted?(kiosk: boolean): void;
  sessions?: WebSessions;
}

export interface WebHost {
  server: Server;
  port: number;
  /** The address to show a person: it opens nothing without a launch token. */
  url: string;
  /** A one-time token for a window; the first one issued is the kiosk window's. */
  issueLaunchToken(): string;
  /** The staff login on this router session ended: the window's cookie is replaced at its next request. */
  renewSession(sessionId: string): void;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} on 127.0.0.1 is already in use; choose another with --port, or omit --port for a free one.`);
    this.name = 'PortInUseError';
  }
}

class BadRequestError extends Error {}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

function decodePath(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new BadRequestError('malformed percent-encoding');
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadRequestError('body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseUrl(path: string, host: string): URL {
  try {
    return new URL(path, `http://${host}`);
  } catch {
    throw new BadRequestError('malformed URL');
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const body = await readBody(request);
  try {
    return body ? JSON.parse(body) : {};
  } catch {
    throw new BadRequestError('The request body is not JSON');
  }
}

/** Writes the token beside the file and renames it into place: created 0600, never seen half-written. */
function writeTokenFile(path: string, token: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  const descriptor = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(descriptor, `${token}\n`);
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporary, path);
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const sessions = options.sessions ?? new WebSessions();
  let port = options.port ?? 0;
  const ownOrigins = (): string[] => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  const ownHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const renewTokenFile = (): void => {
    if (options.launchTokenFile) writeTokenFile(options.launchTokenFile, sessions.issueLaunchToken());
  };

  const serveStatic = (pathname: string, response: ServerResponse): void => {
    const relative = normalize(decodePath(pathname)).replace(/^([/\\])+/, '');
    let file = join(options.staticDir, relative);
    if (!file.startsWith(options.staticDir + sep) && file !== options.staticDir) return sendJson(response, 404, { error: 'not found' });
    let stats = statSync(file, { throwIfNoEntry: false });
    // the renderer is a single page: unknown paths get the page itself
    if (!stats?.isFile()) {
      file = join(options.staticDir, 'index.html');
      stats = statSync(file, { throwIfNoEntry: false });
      if (!stats?.isFile()) return sendJson(response, 404, { error: 'renderer not built: run npm run build' });
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    createReadStream(file)
      .on('error', () => response.destroy())
      .pipe(response);
  };

  const serveEvents = (request: IncomingMessage, response: ServerResponse, caller: WebSession): void => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    response.write(': connected\n\n');
    sessions.streamOpened(caller);
    const send = (event: StationEvent): void => void response.write(`data: ${JSON.stringify(event)}\n\n`);
    const unsubscribe = options.onEvent(send);
    const unsubscribeOwn = options.onSessionEvent?.((sessionId, event) => {
      if (sessionId === caller.session.id) send(event);
    });
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
    request.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      unsubscribeOwn?.();
      sessions.streamClosed(caller);
    });
  };

  const admit = async (request: IncomingMessage, response: ServerResponse, cookieValue: string | undefined): Promise<void> => {
    const input = await readJson(request);
    // a window that already has a session keeps it, and the token stays unused
    if (sessions.find(cookieValue)) return sendJson(response, 200, { admitted: true });
    const token = (input as { token?: unknown } | null)?.token;
    const admitted = typeof token === 'string' ? sessions.admit(token) : null;
    if (!admitted) return sendJson(response, 401, { error: 'unknown or used launch token' });
    renewTokenFile();
    options.onAdmitted?.(admitted.session.kiosk);
    sendJson(response, 200, { admitted: true }, { 'set-cookie': sessionCookieHeader(admitted.cookieValue) });
  };

  const handleApi = async (request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> => {
    const cookieValue = sessionCookieOf(request.headers.cookie);
    if (pathname === LAUNCH_PATH && request.method === 'POST') return admit(request, response, cookieValue);
    const caller = sessions.find(cookieValue);
    if (!caller || !cookieValue) return sendJson(response, 401, { error: 'no session: open the station with its launch token' });
    if (pathname === '/api/events' && request.method === 'GET') return serveEvents(request, response, caller);
    if (request.method !== 'POST') return sendJson(response, 405, { error: 'use POST' });
    const name = decodePath(pathname.slice('/api/call/'.length));
    if (!pathname.startsWith('/api/call/') || !name) return sendJson(response, 404, { error: 'not found' });
    const input = await readJson(request);
    if (name === 'setup.firstRun' && !caller.kiosk) {
      return sendJson(response, 200, { ok: false, code: 'forbidden', message: 'The first set-up is done in the kiosk window that started the station' });
    }
    const envelope = await options.router.call(caller.session, name, input);
    const renewed = (name === 'auth.logout' && envelope.ok) || caller.renewalDue ? sessions.renew(cookieValue) : null;
    sendJson(response, 200, envelope, renewed ? { 'set-cookie': sessionCookieHeader(renewed.cookieValue) } : {});
  };

  const answerFailure = (response: ServerResponse, error: unknown): void => {
    if (error instanceof BadRequestError) return sendJson(response, 400, { ok: false, code: 'invalid-input', message: error.message });
    sendJson(response, 500, { ok: false, code: 'internal', message: 'Internal error' });
  };

  const server = createServer((request, response) => {
    try {
      const host = request.headers.host ?? '';
      const origin = request.headers.origin;
      // refuses DNS-rebinding and cross-site pages: only our own origin may talk to us
      if (!ownHosts().includes(host) || (origin !== undefined && !ownOrigins().includes(origin))) {
        return sendJson(response, 403, { error: 'forbidden origin' });
      }
      const url = parseUrl(request.url ?? '/', host);
      if (url.pathname.startsWith('/api/')) {
        handleApi(request, response, url.pathname).catch((error: unknown) => answerFailure(response, error));
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { error: 'method not allowed' });
      serveStatic(url.pathname === '/' ? '/index.html' : url.pathname, response);
    } catch (error) {
      answerFailure(response, error);
    }
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  renewTokenFile();
  const sweeper = setInterval(() => sessions.sweep(), SWEEP_MS);
  sweeper.unref();

  return {
    server,
    port,
    url: `http://127.0.0.1:${port}/`,
    issueLaunchToken: () => sessions.issueLaunchToken(),
    renewSession: (sessionId) => sessions.renewAtNextRequest(sessionId),
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweeper);
        if (options.launchTokenFile) rmSync(options.launchTokenFile, { force: true });
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
