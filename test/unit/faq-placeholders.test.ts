import { describe, expect, it } from 'vitest';
import { fillContacts } from '@shared/domain/faq';

describe('an edited FAQ answer', () => {
  const values = { servicedesk: 'Servicedesk 30000', raEmail: 'ra@example.se', cardStations: 'Ingång 70', lostCharge: '250,00 kr', tokenSupport: 'Dossupporten' };

  it('names the token terms the organisation administrator set, as it names the contacts', () => {
    expect(fillContacts('Du betalar {lostCharge}. Frågor: {tokenSupport} eller {servicedesk}.', values)).toBe('Du betalar 250,00 kr. Frågor: Dossupporten eller Servicedesk 30000.');
  });

  it('leaves an unknown name as written, so the typo shows', () => {
    expect(fillContacts('Avgift {lostcharge}', values)).toBe('Avgift {lostcharge}');
  });
});
