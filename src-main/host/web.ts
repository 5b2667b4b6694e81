// Browser mode: the same router over HTTP and server-sent events, on 127.0.0.1 only, behind a per-start secret.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { StationEvent } from '@shared/contract';
import type { Router, Session } from '../router';
import { CONTENT_SECURITY_POLICY } from '../security/csp';

export const SECRET_HEADER = 'x-kortstation-secret';
export const SESSION_HEADER = 'x-kortstation-session';
// the largest upload the contract allows (a 20 MB CRL, base64) fits
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

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
  /** The built renderer (electron-vite's out/renderer). */
  staticDir: string;
  port?: number;
}

export interface WebHost {
  server: Server;
  port: number;
  secret: string;
  /** The URL to open: carries the secret, which the page moves out of the address bar. */
  url: string;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} on 127.0.0.1 is already in use; choose another with --port, or omit --port for a free one.`);
    this.name = 'PortInUseError';
  }
}

function sameSecret(given: string | null | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const secret = randomBytes(24).toString('base64url');
  const sessions = new Map<string, Session>();
  let port = options.port ?? 0;
  const ownOrigins = (): string[] => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  const ownHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];

  const sessionFor = (request: IncomingMessage): Session => {
    const id = request.headers[SESSION_HEADER];
    const known = typeof id === 'string' ? sessions.get(id) : undefined;
    return known ?? { id: '', operator: null };
  };

  const serveStatic = (pathname: string, response: ServerResponse): void => {
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
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
    createReadStream(file).pipe(response);
  };

  const serveEvents = (request: IncomingMessage, response: ServerResponse): void => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    response.write(': connected\n\n');
    const unsubscribe = options.onEvent((event) => response.write(`data: ${JSON.stringify(event)}\n\n`));
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
    request.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  };

  const handleApi = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const given = request.headers[SECRET_HEADER] ?? url.searchParams.get('secret');
    if (!sameSecret(Array.isArray(given) ? given[0] : given, secret)) return sendJson(response, 401, { error: 'missing or wrong secret' });
    if (url.pathname === '/api/events' && request.method === 'GET') return serveEvents(request, response);
    if (request.method !== 'POST') return sendJson(response, 405, { error: 'use POST' });
    if (url.pathname === '/api/session') {
      const session: Session = { id: randomBytes(24).toString('base64url'), operator: null };
      sessions.set(session.id, session);
      return sendJson(response, 200, { sessionId: session.id });
    }
    const name = url.pathname.slice('/api/call/'.length);
    if (!url.pathname.startsWith('/api/call/') || !name) return sendJson(response, 404, { error: 'not found' });
    let input: unknown;
    try {
      const body = await readBody(request);
      input = body ? JSON.parse(body) : {};
    } catch {
      return sendJson(response, 400, { ok: false, code: 'invalid-input', message: 'The request body is not JSON' });
    }
    sendJson(response, 200, await options.router.call(sessionFor(request), decodeURIComponent(name), input));
  };

  const server = createServer((request, response) => {
    const host = request.headers.host ?? '';
    const origin = request.headers.origin;
    // refuses DNS-rebinding and cross-site pages: only our own origin may talk to us
    if (!ownHosts().includes(host) || (origin !== undefined && !ownOrigins().includes(origin))) {
      return sendJson(response, 403, { error: 'forbidden origin' });
    }
    const url = new URL(request.url ?? '/', `http://${host}`);
    if (url.pathname.startsWith('/api/')) {
      handleApi(request, response, url).catch(() => sendJson(response, 500, { ok: false, code: 'internal', message: 'Internal error' }));
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { error: 'method not allowed' });
    serveStatic(url.pathname === '/' ? '/index.html' : url.pathname, response);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    server,
    port,
    secret,
    url: `http://127.0.0.1:${port}/?secret=${secret}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
