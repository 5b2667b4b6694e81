// Browser mode: the same router over HTTP and server-sent events, on 127.0.0.1 only, behind a session cookie won with a one-time launch token.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StationEvent } from '@shared/contract';
import type { Router } from '../router';
import { answerFailure, decodePath, parseUrl, readJson, sendJson, serveEvents, serveStatic } from './http-common';
import { sessionCookieHeader, sessionCookieOf, WebSessions, type WebSession } from './web-sessions';

export const LAUNCH_PATH = '/api/launch';
/** The query parameter that carries a launch token to the page, which trades it once and drops it from the address bar. */
export const LAUNCH_PARAMETER = 'launch';
const SWEEP_MS = 60_000;

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

  const serveStaticFile = (pathname: string, response: ServerResponse): void => serveStatic(options.staticDir, pathname, response);

  const serveSessionEvents = (request: IncomingMessage, response: ServerResponse, caller: WebSession): void => {
    sessions.streamOpened(caller);
    serveEvents(request, response, options, caller.session.id, () => sessions.streamClosed(caller));
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
    if (pathname === '/api/events' && request.method === 'GET') return serveSessionEvents(request, response, caller);
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
      serveStaticFile(url.pathname === '/' ? '/index.html' : url.pathname, response);
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
