// A card someone asked to block is never "Godkänt": the counter must not say "fine" over a recorded block request.
import type { Verdict } from '../card-report';

export function verdictWithBlockRequest(verdict: Verdict, blockRequested: boolean): Verdict {
  return blockRequested && verdict === 'ok' ? 'warning' : verdict;
}
