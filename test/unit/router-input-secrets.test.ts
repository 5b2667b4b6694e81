import { describe, expect, it } from 'vitest';
import { createRouter, type Handlers, type Session } from '../../src-main/router';

// no handler is reached: every input below fails its schema in the router first
const router = createRouter({} as Handlers);
const anonymous: Session = { id: 's', operator: null };
const staff: Session = { id: 's', operator: { id: 1, role: 'operator', unitIds: [] } };

const SECRET = '4711x93';
const DIGITS = '471193';

describe("the router's invalid-input envelope", () => {
  const cases: [string, Session, unknown][] = [
    ['pin.change', anonymous, { reader: 'r', pin: 'auth', current: SECRET, next: DIGITS }],
    ['pin.change', anonymous, { reader: 'r', pin: 'auth', current: DIGITS, next: `${DIGITS}${DIGITS}${DIGITS}` }],
    ['pin.change', anonymous, { reader: 'r', pin: 'auth', current: 471193, next: DIGITS }],
    // a PIN typed into the wrong field is still a PIN
    ['pin.change', anonymous, { reader: 'r', pin: DIGITS, current: DIGITS, next: DIGITS }],
    ['pin.unblock', anonymous, { reader: 'r', pin: 'sign', puk: SECRET, next: DIGITS }],
    ['auth.loginCard', anonymous, { reader: 'r', pin: SECRET }],
    ['auth.loginPassword', anonymous, { username: 'anna', password: SECRET, otp: SECRET }],
    ['tokens.issue', staff, { personId: 1, category: 'kommunal', serial: 'A1', code: SECRET, idDocument: { type: 'pass', lastFour: '1234', expiry: '2035-01-01', note: null } }],
    ['tokens.check', staff, { code: SECRET }],
  ];

  it.each(cases)('%s never echoes a submitted PIN, PUK or code', async (name, session, input) => {
    const reply = await router.call(session, name, input);
    expect(reply).toMatchObject({ ok: false, code: 'invalid-input' });
    const message = (reply as { message: string }).message;
    expect(message).not.toContain('4711');
    expect(message).not.toContain('93');
  });

  it('still names the field and what it expected', async () => {
    const reply = await router.call(anonymous, 'pin.change', { reader: 'r', pin: DIGITS, current: DIGITS, next: DIGITS });
    expect(reply).toMatchObject({ ok: false, message: expect.stringMatching(/^pin: .*"auth"/) });
  });
});
