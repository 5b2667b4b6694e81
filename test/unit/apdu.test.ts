import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApduChannel, CardError, encodeCommand, interpretStatus, toHex } from '../../src-main/card/apdu';
import { PROPERTY_BUDGET_MS } from '../support/property-budget';

const reply = (data: number[], sw: number): Uint8Array => Uint8Array.from([...data, sw >> 8, sw & 0xff]);

/** A scripted card: answers in order and records what it was sent. */
function scripted(answers: Uint8Array[]): { transmit: (c: Uint8Array) => Promise<Uint8Array>; sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    transmit: async (command) => {
      sent.push(toHex(command));
      const answer = answers.shift();
      if (!answer) throw new Error('script exhausted');
      return answer;
    },
  };
}

describe('encodeCommand', () => {
  it('uses the short form when data and Le fit', () => {
    expect(toHex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 }))).toBe('00b0000000');
    expect(toHex(encodeCommand({ cla: 0, ins: 0x20, p1: 0, p2: 0x81 }))).toBe('00200081');
    expect(toHex(encodeCommand({ cla: 0, ins: 0xa4, p1: 4, p2: 0, data: Uint8Array.of(0xa0, 0), le: 16 }))).toBe('00a4040002a00010');
  });

  it('switches to the extended form for Le above 256 or data above 255 bytes', () => {
    expect(toHex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 65536 }))).toBe('00b00000000000');
    expect(toHex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1000 }))).toBe('00b000000003e8');
    const data = new Uint8Array(300);
    const encoded = encodeCommand({ cla: 0, ins: 0xdb, p1: 0x3f, p2: 0xff, data, le: 256 });
    expect(toHex(encoded.subarray(4, 7))).toBe('00012c');
    expect(toHex(encoded.subarray(-2))).toBe('0100');
  });

  it('refuses an impossible Le', () => {
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, le: 0 })).toThrow(RangeError);
  });
});

describe('interpretStatus', () => {
  it.each([
    [0x9000, { kind: 'ok' }],
    [0x63c2, { kind: 'tries-left', triesLeft: 2 }],
    [0x6983, { kind: 'blocked' }],
    [0x6a82, { kind: 'not-found' }],
    [0x6110, { kind: 'more-data', available: 16 }],
    [0x6100, { kind: 'more-data', available: 256 }],
    [0x6c20, { kind: 'wrong-le', exact: 32 }],
    [0x6282, { kind: 'end-of-file' }],
    [0x1234, { kind: 'error' }],
  ])('%s', (sw, expected) => expect(interpretStatus(sw)).toEqual(expected));
});

describe('ApduChannel', () => {
  it('follows 61xx with GET RESPONSE and joins the data', async () => {
    const card = scripted([reply([1, 2], 0x6103), reply([3, 4, 5], 0x6101), reply([6], 0x9000)]);
    const channel = new ApduChannel(card.transmit);
    const response = await channel.send({ cla: 0, ins: 0xcb, p1: 0x3f, p2: 0xff, data: Uint8Array.of(0x5c, 1, 0x7e), le: 256 });
    expect([...response.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(response.status.kind).toBe('ok');
    expect(card.sent.slice(1)).toEqual(['00c0000003', '00c0000001']);
    expect(channel.apduCount).toBe(3);
  });

  it('re-sends once with the Le a 6Cxx answer asks for', async () => {
    const card = scripted([reply([], 0x6c05), reply([9, 9, 9, 9, 9], 0x9000)]);
    const channel = new ApduChannel(card.transmit);
    const response = await channel.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 });
    expect(card.sent).toEqual(['00b0000000', '00b0000005']);
    expect(response.data).toHaveLength(5);
  });

  it('turns reader errors into typed card errors', async () => {
    const removed = new ApduChannel(async () => {
      throw Object.assign(new Error('gone'), { code: 'card-removed' });
    });
    await expect(removed.send({ cla: 0, ins: 0, p1: 0, p2: 0 })).rejects.toMatchObject({ code: 'card-removed' });
    const broken = new ApduChannel(async () => {
      throw new Error('SCardTransmit failed');
    });
    await expect(broken.send({ cla: 0, ins: 0, p1: 0, p2: 0 })).rejects.toMatchObject({ code: 'transmit-failed' });
    const mute = new ApduChannel(async () => Uint8Array.of(0x90));
    await expect(mute.send({ cla: 0, ins: 0, p1: 0, p2: 0 })).rejects.toMatchObject({ code: 'card-data-corrupt' });
  });

  it('gives up on a card that answers 61xx forever', async () => {
    const channel = new ApduChannel(async () => reply([], 0x6101));
    await expect(channel.send({ cla: 0, ins: 0xcb, p1: 0, p2: 0, le: 256 })).rejects.toBeInstanceOf(CardError);
    expect(channel.apduCount).toBeLessThan(400);
  });

  it('turns any answer into a typed status or a CardError, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 12 }), { minLength: 1, maxLength: 20 }), async (answers) => {
        let i = 0;
        const channel = new ApduChannel(async () => answers[i++ % answers.length]!);
        try {
          const response = await channel.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 });
          expect(typeof response.status.kind).toBe('string');
        } catch (error) {
          expect(error).toBeInstanceOf(CardError);
        }
      }),
      { numRuns: 500 },
    );
  }, PROPERTY_BUDGET_MS);
});
