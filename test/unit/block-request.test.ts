// Issue 18 item 1: a block request is begärd → spärrad i SITHS eID-portalen (confirmed by staff) → avslutad, and a card with one is never "Godkänt".
import { describe, expect, it } from 'vitest';
import { blockRequestTransition, isBlocked, isOpen, verdictWithBlockRequest } from '@shared/domain/block-request';

describe('a block request’s states', () => {
  it('goes requested → blocked (confirmed) → closed', () => {
    expect(blockRequestTransition('requested', 'confirm')).toEqual({ ok: true, state: 'blocked' });
    expect(blockRequestTransition('blocked', 'close')).toEqual({ ok: true, state: 'closed' });
  });

  it('is not closed before the block is confirmed: nobody has blocked the card yet', () => {
    expect(blockRequestTransition('requested', 'close')).toEqual({ ok: false, refusal: 'not-confirmed' });
  });

  it('refuses a second confirmation and anything after closing', () => {
    expect(blockRequestTransition('blocked', 'confirm')).toEqual({ ok: false, refusal: 'already-done' });
    expect(blockRequestTransition('closed', 'close')).toEqual({ ok: false, refusal: 'already-done' });
    expect(blockRequestTransition('closed', 'confirm')).toEqual({ ok: false, refusal: 'request-closed' });
  });

  it('is open until closed, and the card is blocked from the confirmation on', () => {
    expect([isOpen('requested'), isOpen('blocked'), isOpen('closed')]).toEqual([true, true, false]);
    expect([isBlocked('requested'), isBlocked('blocked'), isBlocked('closed')]).toEqual([false, true, true]);
  });
});

describe('the card test of a card with a block request', () => {
  it('is never "Godkänt": a recorded request makes ok a warning, a worse verdict stays', () => {
    expect(verdictWithBlockRequest('ok', 'requested')).toBe('warning');
    expect(verdictWithBlockRequest('warning', 'requested')).toBe('warning');
    expect(verdictWithBlockRequest('error', 'requested')).toBe('error');
  });

  it('is an error once the card is blocked, also after the request is closed', () => {
    for (const verdict of ['ok', 'warning', 'error'] as const) {
      expect(verdictWithBlockRequest(verdict, 'blocked')).toBe('error');
      expect(verdictWithBlockRequest(verdict, 'closed')).toBe('error');
    }
  });

  it('is unchanged without a block request', () => {
    expect(verdictWithBlockRequest('ok', null)).toBe('ok');
  });
});
