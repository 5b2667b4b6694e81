import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE, sessionCookieHeader, sessionCookieOf, WebSessions } from '../../src-main/host/web-sessions';

const IDLE_MS = 15 * 60_000;

describe('browser mode sessions', () => {
  it('lets a launch token in once, and only the first token issued is the kiosk window', () => {
    const sessions = new WebSessions(() => 0, IDLE_MS);
    const kioskToken = sessions.issueLaunchToken();
    const otherToken = sessions.issueLaunchToken();
    expect(sessions.admit(kioskToken)?.session.kiosk).toBe(true);
    expect(sessions.admit(kioskToken)).toBeNull();
    expect(sessions.admit(otherToken)?.session.kiosk).toBe(false);
    expect(sessions.admit('made-up')).toBeNull();
  });

  it('drops a session idle for 15 minutes, but not while its event stream is open', () => {
    let now = 0;
    const sessions = new WebSessions(() => now, IDLE_MS);
    const quiet = sessions.admit(sessions.issueLaunchToken())!;
    const watching = sessions.admit(sessions.issueLaunchToken())!;
    sessions.streamOpened(watching.session);
    now = IDLE_MS - 1;
    expect(sessions.find(quiet.cookieValue)).not.toBeNull();
    now += IDLE_MS;
    sessions.sweep();
    expect(sessions.find(quiet.cookieValue)).toBeNull();
    expect(sessions.find(watching.cookieValue)).not.toBeNull();
    sessions.streamClosed(watching.session);
    now += IDLE_MS;
    expect(sessions.find(watching.cookieValue)).toBeNull();
    expect(sessions.size).toBe(0);
  });

  it('renews a session at logout: the old cookie value opens nothing, the window keeps its kiosk standing', () => {
    const sessions = new WebSessions(() => 0, IDLE_MS);
    const kiosk = sessions.admit(sessions.issueLaunchToken())!;
    const renewed = sessions.renew(kiosk.cookieValue)!;
    expect(sessions.find(kiosk.cookieValue)).toBeNull();
    expect(sessions.find(renewed.cookieValue)?.kiosk).toBe(true);
    expect(renewed.session.session.operator).toBeNull();
  });

  it('replaces a session whose staff login ended by itself at its next request', () => {
    const sessions = new WebSessions(() => 0, IDLE_MS);
    const window = sessions.admit(sessions.issueLaunchToken())!;
    const other = sessions.admit(sessions.issueLaunchToken())!;
    sessions.renewAtNextRequest(window.session.session.id);
    expect(sessions.find(window.cookieValue)?.renewalDue).toBe(true);
    expect(sessions.find(other.cookieValue)?.renewalDue).toBe(false);
    const renewed = sessions.renew(window.cookieValue)!;
    expect(renewed.session.renewalDue).toBe(false);
    expect(sessions.find(window.cookieValue)).toBeNull();
  });

  it('reads its cookie from any Cookie header without failing on malformed ones, and sets it HttpOnly and SameSite=Strict', () => {
    expect(sessionCookieOf(`a=1; ${SESSION_COOKIE}=abc; b=%E0%A4%A`)).toBe('abc');
    expect(sessionCookieOf('=;;%E0%A4%A')).toBeUndefined();
    expect(sessionCookieOf(undefined)).toBeUndefined();
    expect(sessionCookieHeader('abc')).toBe(`${SESSION_COOKIE}=abc; Path=/; HttpOnly; SameSite=Strict`);
  });
});
