// The life of one ordered SITHS card as a pure state machine: which step may follow which, and why not.

export const CARD_STATES = ['ordered', 'photographed', 'produced', 'ready', 'handed-over', 'returned', 'blocked', 'replaced'] as const;
export type CardState = (typeof CARD_STATES)[number];

export const CARD_ACTIONS = ['photograph', 'produce', 'mark-ready', 'hand-over', 'return', 'block', 'replace'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

/** Why an action is refused in a state; the UI words each one. */
export type TransitionRefusal = 'already-done' | 'too-early' | 'card-closed' | 'not-handed-over';

export type Transition = { ok: true; state: CardState } | { ok: false; refusal: TransitionRefusal };

const TRANSITIONS: Readonly<Record<CardAction, Partial<Record<CardState, CardState>>>> = {
  photograph: { ordered: 'photographed' },
  produce: { photographed: 'produced' },
  'mark-ready': { produced: 'ready' },
  'hand-over': { ready: 'handed-over' },
  // a blocked card that turns up again is still returned and cut
  return: { 'handed-over': 'returned', blocked: 'returned' },
  // a ready card left uncollected is blocked as well as a lost one
  block: { ready: 'blocked', 'handed-over': 'blocked' },
  replace: { 'handed-over': 'replaced' },
};

/** The state each action leads to: reaching or passing it again is "already done". */
const TARGET_ORDER: readonly CardState[] = ['ordered', 'photographed', 'produced', 'ready', 'handed-over'];
const CLOSED_STATES: ReadonlySet<CardState> = new Set(['returned', 'blocked', 'replaced']);

function refusalFor(state: CardState, action: CardAction): TransitionRefusal {
  if (action === 'return' && state === 'returned') return 'already-done';
  if (action === 'block' && state === 'blocked') return 'already-done';
  if (CLOSED_STATES.has(state)) return 'card-closed';
  if (action === 'return' || action === 'replace' || action === 'block') return 'not-handed-over';
  const target = Object.values(TRANSITIONS[action])[0]!;
  return TARGET_ORDER.indexOf(state) >= TARGET_ORDER.indexOf(target) ? 'already-done' : 'too-early';
}

export function transition(state: CardState, action: CardAction): Transition {
  const next = TRANSITIONS[action][state];
  return next ? { ok: true, state: next } : { ok: false, refusal: refusalFor(state, action) };
}

/** Cards waiting this long at the station are to be blocked (DOMAIN: not collected within 3 months). */
export const UNCOLLECTED_MONTHS = 3;

/** Whether a card made ready at `readyAt` (ISO) has waited for pickup past the limit by `now`. */
export function isUncollected(state: CardState, readyAt: string | null, now: Date): boolean {
  if (state !== 'ready' || readyAt === null) return false;
  const limit = new Date(readyAt);
  limit.setUTCMonth(limit.getUTCMonth() + UNCOLLECTED_MONTHS);
  return now.getTime() >= limit.getTime();
}

