// Browser mode's sessions: one-time launch tokens traded for an HttpOnly cookie, dropped on logout and after idle.
import { createHash, randomBytes } from 'node:crypto';
import type { Session } from '../router';

export const SESSION_COOKIE = 'kortstation-session';
/** A session with no request and no open event stream for this long is dropped; an open kiosk window keeps its stream. */
export const SESSION_IDLE_MS = 15 * 60_000;

export interface WebSession {
  readonly session: Session;
  /** The kiosk window that started the host: the only one that may run the first set-up. */
  readonly kiosk: boolean;
  lastSeen: number;
  openStreams: number;
  /** The staff login on it ended (idle, card removed): its next answer hands the window a new session id. */
  renewalDue: boolean;
}

// maps are keyed by a digest, so how long a lookup takes says nothing about a live token or session id
const digest = (value: string): string => createHash('sha256').update(value).digest('base64url');
const newSecret = (): string => randomBytes(32).toString('base64url');

export class WebSessions {
  private readonly tokens = new Map<string, { kiosk: boolean }>();
  private readonly sessions = new Map<string, WebSession>();
  private kioskTokenIssued = false;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly idleMs = SESSION_IDLE_MS,
  ) {}

  /** A token that lets one window in once; the first the host hands out is the kiosk window's. */
  issueLaunchToken(): string {
    const token = newSecret();
    this.tokens.set(digest(token), { kiosk: !this.kioskTokenIssued });
    this.kioskTokenIssued = true;
    return token;
  }

  /** Trades a launch token for a new session and its cookie value; null when the token is unknown or already used. */
  admit(token: string): { cookieValue: string; session: WebSession } | null {
    const key = digest(token);
    const grant = this.tokens.get(key);
    if (!grant) return null;
    this.tokens.delete(key);
    return this.open(grant.kiosk);
  }

  /** Server mode: a new anonymous session for anyone who reaches the server; no launch token there. */
  openAnonymous(): { cookieValue: string; session: WebSession } {
    return this.open(false);
  }

  /** The live session behind a cookie value, which counts as activity; null when unknown, dropped or idle too long. */
  find(cookieValue: string | undefined): WebSession | null {
    if (!cookieValue) return null;
    const key = digest(cookieValue);
    const found = this.sessions.get(key);
    if (!found) return null;
    if (this.isIdle(found)) {
      this.sessions.delete(key);
      return null;
    }
    found.lastSeen = this.now();
    return found;
  }

  /** After a staff login ended: the old cookie value dies and the same window goes on under a new one (the router's session stays, logged out). */
  renew(cookieValue: string): { cookieValue: string; session: WebSession } | null {
    const key = digest(cookieValue);
    const session = this.sessions.get(key);
    if (!session) return null;
    this.sessions.delete(key);
    session.renewalDue = false;
    const fresh = newSecret();
    this.sessions.set(digest(fresh), session);
    return { cookieValue: fresh, session };
  }

  streamOpened(session: WebSession): void {
    session.openStreams++;
  }

  /** The idle time of a window counts from when its last event stream closed. */
  streamClosed(session: WebSession): void {
    session.openStreams--;
    session.lastSeen = this.now();
  }

  /** After a staff login ends on its own (idle, card removed): the cookie that carried it is replaced at the next request. */
  renewAtNextRequest(sessionId: string): void {
    for (const session of this.sessions.values()) if (session.session.id === sessionId) session.renewalDue = true;
  }

  /** Drops every session past the idle time. */
  sweep(): void {
    for (const [key, session] of this.sessions) if (this.isIdle(session)) this.sessions.delete(key);
  }

  get size(): number {
    return this.sessions.size;
  }

  private isIdle(session: WebSession): boolean {
    return session.openStreams === 0 && this.now() - session.lastSeen >= this.idleMs;
  }

  private open(kiosk: boolean): { cookieValue: string; session: WebSession } {
    const cookieValue = newSecret();
    // the router's id is not the cookie: an id that reaches a log or the audit trail opens nothing
    const session: WebSession = { session: { id: randomBytes(12).toString('base64url'), operator: null }, kiosk, lastSeen: this.now(), openStreams: 0, renewalDue: false };
    this.sessions.set(digest(cookieValue), session);
    return { cookieValue, session };
  }
}

/** The session cookie's value from a Cookie header; anything malformed is simply no cookie. */
export function sessionCookieOf(header: string | undefined, cookieName = SESSION_COOKIE): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookieName) return rest.join('=') || undefined;
  }
  return undefined;
}

export function sessionCookieHeader(cookieValue: string): string {
  return `${SESSION_COOKIE}=${cookieValue}; Path=/; HttpOnly; SameSite=Strict`;
}
