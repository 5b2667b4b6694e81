// The lost PUK-kod route as a pure state machine: ID-handling checked first, then a new PUK-kod ordered, or (where the region allows it) the PUK-kod retrieved from SITHS eID-portalen for the unlock.

/** started: the holder is at the counter; id-checked: the ID-handling matches the card's holder; ordered / retrieved: the route's end, or the keypad's turn. */
export const PUK_ROUTE_STEPS = ['started', 'id-checked', 'ordered', 'retrieved'] as const;
export type PukRouteStep = (typeof PUK_ROUTE_STEPS)[number];

export const PUK_ROUTE_ACTIONS = ['check-id', 'order-new-puk', 'retrieve-from-portal'] as const;
export type PukRouteAction = (typeof PUK_ROUTE_ACTIONS)[number];

export type PukRouteRefusal = 'id-not-checked' | 'portal-not-allowed' | 'route-done';
export type PukRouteTransition = { ok: true; step: PukRouteStep } | { ok: false; refusal: PukRouteRefusal };

/** What the region allows: an ID-administratör may read the PUK-kod in SITHS eID-portalen and type it for the holder. */
export interface PukRoutePolicy {
  portalRetrievalAllowed: boolean;
}

export function pukRouteTransition(step: PukRouteStep, action: PukRouteAction, policy: PukRoutePolicy): PukRouteTransition {
  if (step === 'ordered' || step === 'retrieved') return { ok: false, refusal: 'route-done' };
  if (action === 'check-id') return step === 'started' ? { ok: true, step: 'id-checked' } : { ok: false, refusal: 'route-done' };
  // nothing is ordered or read out of the portal for someone whose ID-handling nobody checked
  if (step !== 'id-checked') return { ok: false, refusal: 'id-not-checked' };
  if (action === 'order-new-puk') return { ok: true, step: 'ordered' };
  return policy.portalRetrievalAllowed ? { ok: true, step: 'retrieved' } : { ok: false, refusal: 'portal-not-allowed' };
}

/** The choices after the ID-handling check, in the order the counter offers them. */
export function pukRouteChoices(policy: PukRoutePolicy): PukRouteAction[] {
  return policy.portalRetrievalAllowed ? ['retrieve-from-portal', 'order-new-puk'] : ['order-new-puk'];
}
