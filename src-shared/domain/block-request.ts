// A block request's life as a pure state machine: recorded here, blocked in SITHS eID-portalen (staff confirm it), closed; and what it means for a card test's verdict.
import type { Verdict } from '../card-report';

/** requested: recorded at the station only; blocked: staff confirmed the block in SITHS eID-portalen; closed: nothing left to do. */
export const BLOCK_REQUEST_STATES = ['requested', 'blocked', 'closed'] as const;
export type BlockRequestState = (typeof BLOCK_REQUEST_STATES)[number];

export const BLOCK_REQUEST_ACTIONS = ['confirm', 'close'] as const;
export type BlockRequestAction = (typeof BLOCK_REQUEST_ACTIONS)[number];

export type BlockRequestRefusal = 'already-done' | 'not-confirmed' | 'request-closed';
export type BlockRequestTransition = { ok: true; state: BlockRequestState } | { ok: false; refusal: BlockRequestRefusal };

// a request is closed only after the block is confirmed: closing an unconfirmed one would hide a card nobody blocked
const TRANSITIONS: Readonly<Record<BlockRequestAction, Partial<Record<BlockRequestState, BlockRequestState>>>> = {
  confirm: { requested: 'blocked' },
  close: { blocked: 'closed' },
};

export function blockRequestTransition(state: BlockRequestState, action: BlockRequestAction): BlockRequestTransition {
  const next = TRANSITIONS[action][state];
  if (next) return { ok: true, state: next };
  if (state === 'closed') return { ok: false, refusal: action === 'close' ? 'already-done' : 'request-closed' };
  return { ok: false, refusal: action === 'confirm' ? 'already-done' : 'not-confirmed' };
}

/** Open requests are the staff's work: not yet blocked, or blocked and not yet closed. */
export const isOpen = (state: BlockRequestState): boolean => state !== 'closed';

/** The card in SITHS eID-portalen: blocked once staff confirmed it, and it stays blocked after the request is closed. */
export const isBlocked = (state: BlockRequestState): boolean => state !== 'requested';

/** A card with a block request or a block is never "Godkänt": at least a warning while requested, an error once blocked. */
export function verdictWithBlockRequest(verdict: Verdict, state: BlockRequestState | null): Verdict {
  if (state === null) return verdict;
  if (isBlocked(state)) return 'error';
  return verdict === 'ok' ? 'warning' : verdict;
}
