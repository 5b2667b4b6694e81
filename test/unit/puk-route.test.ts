// Issue 18 item 4 / seed 004: a lost PUK-kod — ID-handling checked first, then a new PUK-kod ordered, or retrieved from SITHS eID-portalen where the region allows it.
import { describe, expect, it } from 'vitest';
import { pukRouteChoices, pukRouteTransition } from '@shared/domain/puk-route';

const allowed = { portalRetrievalAllowed: true };
const notAllowed = { portalRetrievalAllowed: false };

describe('the lost PUK-kod route', () => {
  it('starts with the ID-handling check', () => {
    expect(pukRouteTransition('started', 'check-id', notAllowed)).toEqual({ ok: true, step: 'id-checked' });
  });

  it('orders nothing and reads nothing from the portal before the ID-handling is checked', () => {
    expect(pukRouteTransition('started', 'order-new-puk', allowed)).toEqual({ ok: false, refusal: 'id-not-checked' });
    expect(pukRouteTransition('started', 'retrieve-from-portal', allowed)).toEqual({ ok: false, refusal: 'id-not-checked' });
  });

  it('orders a new PUK-kod once the ID-handling is checked, wherever the region stands on the portal', () => {
    expect(pukRouteTransition('id-checked', 'order-new-puk', notAllowed)).toEqual({ ok: true, step: 'ordered' });
    expect(pukRouteTransition('id-checked', 'order-new-puk', allowed)).toEqual({ ok: true, step: 'ordered' });
  });

  it('retrieves the PUK-kod from SITHS eID-portalen only where the region allows it', () => {
    expect(pukRouteTransition('id-checked', 'retrieve-from-portal', allowed)).toEqual({ ok: true, step: 'retrieved' });
    expect(pukRouteTransition('id-checked', 'retrieve-from-portal', notAllowed)).toEqual({ ok: false, refusal: 'portal-not-allowed' });
  });

  it('takes no step after its end, and checks the ID-handling once', () => {
    for (const end of ['ordered', 'retrieved'] as const) {
      for (const action of ['check-id', 'order-new-puk', 'retrieve-from-portal'] as const) expect(pukRouteTransition(end, action, allowed)).toEqual({ ok: false, refusal: 'route-done' });
    }
    expect(pukRouteTransition('id-checked', 'check-id', allowed)).toEqual({ ok: false, refusal: 'route-done' });
  });

  it('offers the portal only where the region allows it', () => {
    expect(pukRouteChoices(notAllowed)).toEqual(['order-new-puk']);
    expect(pukRouteChoices(allowed)).toEqual(['retrieve-from-portal', 'order-new-puk']);
  });
});
