import { describe, expect, it } from 'vitest';
import { ApduChannel, toHex } from '../../src-main/card/apdu';
import { probePiv } from '../../src-main/card/profiles/piv';
import { probePkcs15 } from '../../src-main/card/profiles/pkcs15';
import { probeCard } from '../../src-main/card/profiles/profile';
import type { CardApplet } from '../sim/applet';
import { SCENARIO_PINS, SCENARIO_SERIAL, type Personality, createScenario } from '../sim/scenarios';

function wired(applet: CardApplet): { channel: ApduChannel; sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  const channel = new ApduChannel(async (command) => {
    sent.push(command);
    return applet.process(command);
  });
  return { channel, sent };
}

async function profileOf(personality: Personality, options: Parameters<typeof createScenario>[2] = {}) {
  const scenario = await createScenario('healthy', personality, options);
  const { channel, sent } = wired(scenario.applet);
  const profile = await probeCard(channel);
  if (!profile) throw new Error('no profile');
  return { profile, model: scenario.model!, sent, applet: scenario.applet };
}

describe.each(['pkcs15', 'piv'] as const)('%s profile on the virtual card', (personality) => {
  it('is recognised by its own probe only', async () => {
    const scenario = await createScenario('healthy', personality);
    const own = personality === 'pkcs15' ? probePkcs15 : probePiv;
    const other = personality === 'pkcs15' ? probePiv : probePkcs15;
    expect(await other(wired(scenario.applet).channel)).toBeNull();
    expect((await own(wired(scenario.applet).channel))?.name).toBe(personality);
  });

  it('reads the exact certificate bytes the card holds', async () => {
    const { profile, model } = await profileOf(personality);
    const certificates = await profile.certificates();
    expect(certificates.map(toHex)).toEqual(model.certificates.map((c) => toHex(c.der)));
  });

  it('reads tries without sending a PIN', async () => {
    const { profile, sent } = await profileOf(personality);
    const before = sent.length;
    const pins = await profile.pins();
    expect(pins.find((p) => p.role === 'auth')).toEqual({ role: 'auth', triesLeft: 3, blocked: false });
    expect(pins.find((p) => p.role === 'puk')).toEqual({ role: 'puk', triesLeft: 10, blocked: false });
    const verifies = sent.slice(before).filter((c) => c[1] === 0x20);
    expect(verifies.length).toBeGreaterThan(0);
    expect(verifies.every((c) => c.length === 4)).toBe(true);
  });

  it('verifies, changes and unblocks a PIN with the padding the card wants', async () => {
    const { profile, model } = await profileOf(personality);
    expect(await profile.verify('auth', '000000')).toEqual({ kind: 'wrong', triesLeft: 2 });
    expect(await profile.verify('auth', SCENARIO_PINS.auth)).toEqual({ kind: 'ok' });
    expect(await profile.change('auth', SCENARIO_PINS.auth, '24682468')).toEqual({ kind: 'ok' });
    expect(model.toJSON().pins.auth.value).toBe('24682468');
    for (let i = 0; i < 3; i++) await profile.verify('auth', '999999');
    expect(await profile.verify('auth', '24682468')).toEqual({ kind: 'blocked' });
    expect(await profile.unblock('auth', SCENARIO_PINS.puk, '135791')).toEqual({ kind: 'ok' });
    expect(await profile.verify('auth', '135791')).toEqual({ kind: 'ok' });
  });

  it('refuses a malformed PIN without sending it', async () => {
    const { profile, sent } = await profileOf(personality);
    const before = sent.length;
    expect(await profile.verify('auth', '12')).toEqual({ kind: 'invalid-format' });
    expect(await profile.verify('auth', '12345a')).toEqual({ kind: 'invalid-format' });
    expect(await profile.unblock('auth', '1234', '123456')).toEqual({ kind: 'invalid-format' });
    expect(sent.slice(before).filter((c) => [0x20, 0x24, 0x2c].includes(c[1] ?? 0))).toEqual([]);
  });
});

describe('PKCS#15 specifics', () => {
  it('states the TokenInfo serial and tells the two PINs apart through the PrKDF', async () => {
    const { profile, model } = await profileOf('pkcs15');
    expect(await profile.serial()).toBe(SCENARIO_SERIAL);
    expect((await profile.pins()).map((p) => p.role)).toEqual(['auth', 'sign', 'puk']);
    expect(await profile.verify('sign', SCENARIO_PINS.sign)).toEqual({ kind: 'ok' });
    expect(model.triesLeft('sign')).toBe(3);
  });

  it('finds the application by AID when the card has no EF.DIR', async () => {
    const { profile, model } = await profileOf('pkcs15', { pkcs15: { efDir: false } });
    expect((await profile.certificates()).map(toHex)).toEqual(model.certificates.map((c) => toHex(c.der)));
    expect((await profile.pins()).map((p) => p.triesLeft)).toEqual([3, 3, 10]);
  });
});

describe('PIV specifics', () => {
  it('takes the serial from the CHUID GUID and inflates gzip certificates', async () => {
    const { profile } = await profileOf('piv');
    expect(await profile.serial()).toBe(SCENARIO_SERIAL.padStart(32, '0'));
    expect(await profile.change('puk', SCENARIO_PINS.puk, '87654321')).toEqual({ kind: 'ok' });
  });
});
