import { describe, expect, it } from 'vitest';
import type { CardTestReport } from '@shared/card-report';
import { checkHandoverCard, checkIdDocument } from '@shared/domain/card-handover';
import { CARD_ACTIONS, CARD_STATES, isUncollected, transition, type CardAction, type CardState } from '@shared/domain/card-lifecycle';

// The whole table, written out: every state × every action, the next state or the refusal.
const EXPECTED: Record<CardState, Record<CardAction, CardState | `refused:${string}`>> = {
  ordered: { photograph: 'photographed', produce: 'refused:too-early', 'mark-ready': 'refused:too-early', 'hand-over': 'refused:too-early', return: 'refused:not-handed-over', block: 'refused:not-handed-over', replace: 'refused:not-handed-over' },
  photographed: { photograph: 'refused:already-done', produce: 'produced', 'mark-ready': 'refused:too-early', 'hand-over': 'refused:too-early', return: 'refused:not-handed-over', block: 'refused:not-handed-over', replace: 'refused:not-handed-over' },
  produced: { photograph: 'refused:already-done', produce: 'refused:already-done', 'mark-ready': 'ready', 'hand-over': 'refused:too-early', return: 'refused:not-handed-over', block: 'refused:not-handed-over', replace: 'refused:not-handed-over' },
  ready: { photograph: 'refused:already-done', produce: 'refused:already-done', 'mark-ready': 'refused:already-done', 'hand-over': 'handed-over', return: 'refused:not-handed-over', block: 'blocked', replace: 'refused:not-handed-over' },
  'handed-over': { photograph: 'refused:already-done', produce: 'refused:already-done', 'mark-ready': 'refused:already-done', 'hand-over': 'refused:already-done', return: 'returned', block: 'blocked', replace: 'replaced' },
  returned: { photograph: 'refused:card-closed', produce: 'refused:card-closed', 'mark-ready': 'refused:card-closed', 'hand-over': 'refused:card-closed', return: 'refused:already-done', block: 'refused:card-closed', replace: 'refused:card-closed' },
  blocked: { photograph: 'refused:card-closed', produce: 'refused:card-closed', 'mark-ready': 'refused:card-closed', 'hand-over': 'refused:card-closed', return: 'returned', block: 'refused:already-done', replace: 'refused:card-closed' },
  replaced: { photograph: 'refused:card-closed', produce: 'refused:card-closed', 'mark-ready': 'refused:card-closed', 'hand-over': 'refused:card-closed', return: 'refused:card-closed', block: 'refused:card-closed', replace: 'refused:card-closed' },
};

describe('card lifecycle state machine', () => {
  for (const state of CARD_STATES) {
    for (const action of CARD_ACTIONS) {
      it(`${state} × ${action} → ${EXPECTED[state][action]}`, () => {
        const result = transition(state, action);
        expect(result.ok ? result.state : `refused:${result.refusal}`).toBe(EXPECTED[state][action]);
      });
    }
  }

  it('walks the happy path from order to return', () => {
    let state: CardState = 'ordered';
    for (const action of ['photograph', 'produce', 'mark-ready', 'hand-over', 'return'] as const) {
      const next = transition(state, action);
      expect(next.ok).toBe(true);
      if (next.ok) state = next.state;
    }
    expect(state).toBe('returned');
  });

  it('flags a card ready for three months as uncollected, and only a ready one', () => {
    const readyAt = '2026-01-31T10:00:00.000Z';
    expect(isUncollected('ready', readyAt, new Date('2026-04-30T09:59:59Z'))).toBe(false);
    expect(isUncollected('ready', readyAt, new Date('2026-05-01T10:00:00Z'))).toBe(true);
    expect(isUncollected('handed-over', readyAt, new Date('2027-01-01'))).toBe(false);
    expect(isUncollected('ready', null, new Date('2027-01-01'))).toBe(false);
  });
});

const report = (overrides: Partial<CardTestReport> = {}): CardTestReport => ({
  outcome: 'complete',
  reader: 'r',
  atr: '3b',
  profile: 'pkcs15',
  cardSerial: '97522690000012345678',
  holder: { name: 'Anna Testsson', hsaId: 'SE2321000016-1a2b' },
  certificates: [],
  pins: [],
  verdict: 'ok',
  findings: [],
  apduCount: 1,
  ...overrides,
});
const expected = { cardNumber: '97522690000012345678', hsaId: 'SE2321000016-1A2B', firstName: 'Anna', surname: 'Testsson' };

describe('handover checks', () => {
  it('accepts the ordered card of the right person, case and spacing aside', () => {
    expect(checkHandoverCard(report({ holder: { name: 'ANNA  Testsson', hsaId: 'se2321000016-1a2b' } }), expected)).toBeNull();
    expect(checkHandoverCard(report({ verdict: 'warning' }), expected)).toBeNull();
  });

  it('refuses a failing, interrupted or foreign card', () => {
    expect(checkHandoverCard(report({ verdict: 'error' }), expected)).toEqual({ code: 'card-test-failed' });
    expect(checkHandoverCard(report({ outcome: 'removed', verdict: null }), expected)).toEqual({ code: 'card-test-failed' });
    expect(checkHandoverCard(report({ cardSerial: '111111' }), expected)).toMatchObject({ code: 'card-mismatch', field: 'cardNumber' });
    expect(checkHandoverCard(report({ holder: { name: 'Anna Testsson', hsaId: 'SE2321000016-9999' } }), expected)).toMatchObject({ code: 'card-mismatch', field: 'hsaId' });
    expect(checkHandoverCard(report(), { ...expected, hsaId: null })).toMatchObject({ code: 'card-mismatch', field: 'hsaId' });
    expect(checkHandoverCard(report({ holder: { name: 'Anna Andersson', hsaId: expected.hsaId } }), expected)).toMatchObject({ code: 'card-mismatch', field: 'name' });
  });

  it('accepts an ID document through its expiry day and wants a note for "other"', () => {
    expect(checkIdDocument({ type: 'pass', expiry: '2026-11-23', note: null }, '2026-11-23')).toBeNull();
    expect(checkIdDocument({ type: 'pass', expiry: '2026-11-22', note: null }, '2026-11-23')).toEqual({ code: 'id-document-expired', expiry: '2026-11-22' });
    expect(checkIdDocument({ type: 'other', expiry: '2030-01-01', note: ' ' }, '2026-11-23')).toEqual({ code: 'id-document-note-missing' });
    expect(checkIdDocument({ type: 'other', expiry: '2030-01-01', note: 'Tjänstekort kommun' }, '2026-11-23')).toBeNull();
  });
});
