import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childrenOf, readTlv } from '../../src-main/card/tlv';
import type { CardApplet } from '../sim/applet';
import { hex } from '../sim/der';
import { PKCS15_AID, PKCS15_LAYOUT } from '../sim/pkcs15-applet';
import { PIV_AID } from '../sim/piv-applet';
import { SCENARIO_PINS, createScenario } from '../sim/scenarios';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const sw = (response: Uint8Array): string => toHex(response.subarray(-2));
const data = (response: Uint8Array): Uint8Array => response.subarray(0, -2);
const send = (applet: CardApplet, command: string): Uint8Array => applet.process(hex(command));
const pinBlock = (pin: string): string => toHex(Buffer.from(pin.padEnd(8, '\xff'), 'latin1'));

describe('PKCS#15 applet', () => {
  it('selects by path, by file id, by AID and relative to the current DF, with FCP/FCI/no answer', async () => {
    const { applet } = await createScenario('healthy', 'pkcs15');
    const fcp = send(applet, '00a40804045100503100');
    expect(sw(fcp)).toBe('9000');
    expect(toHex(data(fcp)).startsWith('62')).toBe(true);
    expect(toHex(data(fcp))).toContain('8002');
    expect(sw(send(applet, '00a4000c023f00'))).toBe('9000');
    expect(sw(send(applet, `00a4040c0c${toHex(PKCS15_AID)}`))).toBe('9000');
    const fci = send(applet, '00a4090002503200');
    expect(toHex(data(fci)).startsWith('6f')).toBe(true);
    expect(sw(send(applet, '00a4000c025031'))).toBe('9000');
    expect(sw(send(applet, '00a4080c025031'))).toBe('6a82');
    expect(sw(send(applet, '00a4080c03503100'))).toBe('6a87');
  });

  it('keeps files away from OpenSC’s default ids', () => {
    expect(PKCS15_LAYOUT.appDf).not.toBe(0x5015);
    expect([PKCS15_LAYOUT.cdf, PKCS15_LAYOUT.aodf, PKCS15_LAYOUT.prkdf]).not.toContain(0x4404);
  });

  it('reads at offsets, answers short reads at the end and refuses offsets past it', async () => {
    const { applet, model } = await createScenario('healthy', 'pkcs15');
    const der = model!.certificates[0]!.der;
    expect(sw(send(applet, '00a4080c0451007001'))).toBe('9000');
    const first = send(applet, '00b0000000');
    expect(data(first)).toEqual(der.subarray(0, 256));
    const offset = der.length - 10;
    const tail = send(applet, `00b0${offset.toString(16).padStart(4, '0')}20`);
    expect(sw(tail)).toBe('6282');
    expect(data(tail)).toEqual(der.subarray(offset));
    expect(sw(send(applet, `00b0${(der.length + 1).toString(16).padStart(4, '0')}01`))).toBe('6b00');
    expect(sw(send(applet, '00b0800001'))).toBe('6a81');
  });

  it('counts PIN tries, blocks at zero, unblocks with the PUK and forgets verification on reset', async () => {
    const { applet, model } = await createScenario('healthy', 'pkcs15');
    expect(sw(send(applet, '00200081'))).toBe('63c3');
    expect(sw(send(applet, `0020008108${pinBlock('000000')}`))).toBe('63c2');
    expect(sw(send(applet, `0020008108${pinBlock(SCENARIO_PINS.auth)}`))).toBe('9000');
    expect(sw(send(applet, '00200081'))).toBe('9000');
    applet.reset();
    expect(sw(send(applet, '00200081'))).toBe('63c3');
    for (const expected of ['63c2', '63c1', '63c0', '6983']) expect(sw(send(applet, `0020008108${pinBlock('999999')}`))).toBe(expected);
    expect(sw(send(applet, '00200081'))).toBe('6983');
    expect(sw(send(applet, `002c008110${pinBlock(SCENARIO_PINS.puk)}${pinBlock('424242')}`))).toBe('9000');
    expect(model!.triesLeft('auth')).toBe(3);
    expect(sw(send(applet, `0024008110${pinBlock('424242')}${pinBlock('13579135')}`))).toBe('9000');
    expect(model!.toJSON().pins.auth.value).toBe('13579135');
    expect(sw(send(applet, `0024008210${pinBlock(SCENARIO_PINS.sign)}${pinBlock('12')}`))).toBe('6a80');
    expect(sw(send(applet, '00200099'))).toBe('6a88');
    for (let i = 0; i < 3; i++) send(applet, `0020008208${pinBlock('999999')}`);
    expect(sw(send(applet, `002c018208${pinBlock(SCENARIO_PINS.puk)}`))).toBe('9000');
    expect(sw(send(applet, `0020008208${pinBlock(SCENARIO_PINS.sign)}`))).toBe('9000');
  });

  it('carries counters and PINs across a new card through its state', async () => {
    const first = await createScenario('healthy', 'pkcs15');
    send(first.applet, `0020008208${pinBlock('000000')}`);
    const saved = JSON.parse(JSON.stringify(first.model!.toJSON()));
    const second = await createScenario('healthy', 'pkcs15', { state: saved });
    expect(sw(send(second.applet, '00200082'))).toBe('63c2');
    await expect(createScenario('healthy', 'pkcs15', { state: { pins: { ...saved.pins, puk: { value: 'x', triesLeft: 99 } } } })).rejects.toThrow(RangeError);
  });
});

describe('PIV applet', () => {
  it('needs the PIV application selected, by full or partial AID', async () => {
    const { applet } = await createScenario('healthy', 'piv');
    expect(sw(send(applet, '00cb3fff035c017e00'))).toBe('6985');
    const selected = send(applet, `00a4040009${toHex(PIV_AID.subarray(0, 9))}00`);
    expect(sw(selected)).toBe('9000');
    expect(toHex(data(selected)).startsWith('61')).toBe(true);
    expect(sw(send(applet, '00a4040c0ca000000063504b43532d3135'))).toBe('6a82');
  });

  it('chains long objects with 61xx and serves them whole to an extended Le', async () => {
    const { applet, model } = await createScenario('healthy', 'piv');
    send(applet, `00a404000b${toHex(PIV_AID)}`);
    const first = send(applet, '00cb3fff055c035fc10500');
    expect(sw(first).startsWith('61')).toBe(true);
    const parts = [data(first)];
    let last = first;
    while (sw(last).startsWith('61')) {
      last = send(applet, `00c00000${sw(last).slice(2)}`);
      parts.push(data(last));
    }
    expect(sw(last)).toBe('9000');
    const whole = Buffer.concat(parts);
    const extended = send(applet, '00cb3fff000005' + '5c035fc105' + '0000');
    expect(sw(extended)).toBe('9000');
    expect(Buffer.from(data(extended))).toEqual(whole);
    expect(whole.includes(Buffer.from(model!.certificates[0]!.der))).toBe(true);
    const signObject = data(send(applet, '00cb3fff000005' + '5c035fc10a' + '0000'));
    const [certificate, certInfo] = childrenOf({ ...readTlv(signObject).tlv, constructed: true });
    expect(certInfo?.value[0]).toBe(0x01);
    expect(gunzipSync(certificate!.value)).toEqual(Buffer.from(model!.certificates[1]!.der));
  });

  it('uses PIN 80 padded to 8 bytes and PUK 81 for reset retry counter', async () => {
    const { applet } = await createScenario('pin-blocked', 'piv');
    send(applet, `00a404000b${toHex(PIV_AID)}`);
    expect(sw(send(applet, '00200080'))).toBe('6983');
    expect(sw(send(applet, '00200081'))).toBe('63ca');
    expect(sw(send(applet, `002c008010${pinBlock('11111111')}${pinBlock('246810')}`))).toBe('63c9');
    expect(sw(send(applet, `002c008010${pinBlock(SCENARIO_PINS.puk)}${pinBlock('246810')}`))).toBe('9000');
    expect(sw(send(applet, `0020008008${pinBlock('246810')}`))).toBe('9000');
  });
});

describe('every applet', () => {
  it('answers junk with a status word and never throws', async () => {
    const applets = await Promise.all([
      createScenario('healthy', 'pkcs15').then((s) => s.applet),
      createScenario('healthy', 'piv').then((s) => s.applet),
      createScenario('not-siths').then((s) => s.applet),
    ]);
    fc.assert(
      fc.property(fc.constantFrom(...applets), fc.uint8Array({ maxLength: 300 }), (applet, command) => {
        const response = applet.process(command);
        expect(response.length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 3000 },
    );
  }, PROPERTY_BUDGET_MS);
});
