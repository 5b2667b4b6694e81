// What browser mode (web.ts) and server mode (server.ts) serve alike: JSON answers, request bodies, the built renderer, event streams.
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { StationEvent } from '@shared/contract';
import { CONTENT_SECURITY_POLICY } from '../security/csp';

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

export class BadRequestError extends Error {}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

export function decodePath(text: string): string {
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

export function parseUrl(path: string, host: string): URL {
  try {
    return new URL(path, `http://${host}`);
  } catch {
    throw new BadRequestError('malformed URL');
  }
}

export async function readJson(request: IncomingMessage): Promise<unknown> {
  const body = await readBody(request);
  try {
    return body ? JSON.parse(body) : {};
  } catch {
    throw new BadRequestError('The request body is not JSON');
  }
}

export function answerFailure(response: ServerResponse, error: unknown): void {
  if (error instanceof BadRequestError) return sendJson(response, 400, { ok: false, code: 'invalid-input', message: error.message });
  sendJson(response, 500, { ok: false, code: 'internal', message: 'Internal error' });
}

/** Serves a file of the built renderer; unknown paths get the single page itself. */
export function serveStatic(staticDir: string, pathname: string, response: ServerResponse): void {
  const relative = normalize(decodePath(pathname)).replace(/^([/\\])+/, '');
  let file = join(staticDir, relative);
  if (!file.startsWith(staticDir + sep) && file !== staticDir) return sendJson(response, 404, { error: 'not found' });
  let stats = statSync(file, { throwIfNoEntry: false });
  if (!stats?.isFile()) {
    file = join(staticDir, 'index.html');
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
}

export interface EventSources {
  onEvent(listener: (event: StationEvent) => void): () => void;
  /** Events that belong to one router session (a job's progress): each goes only to that session's event streams. */
  onSessionEvent?(listener: (sessionId: string, event: StationEvent) => void): () => void;
}

/** Streams the station's events, and the session's own, to one window as server-sent events until it goes. */
export function serveEvents(request: IncomingMessage, response: ServerResponse, sources: EventSources, sessionId: string, onClose: () => void): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  response.write(': connected\n\n');
  const send = (event: StationEvent): void => void response.write(`data: ${JSON.stringify(event)}\n\n`);
  const unsubscribe = sources.onEvent(send);
  const unsubscribeOwn = sources.onSessionEvent?.((owner, event) => {
    if (owner === sessionId) send(event);
  });
  const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
  request.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    unsubscribeOwn?.();
    onClose();
  });
}
