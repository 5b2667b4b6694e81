// The smallest card that pcscd accepts: an ATR and ISO 7816 SELECT of one application.
import { type CardApplet, SW, status } from './applet';

/** An ATR with historical bytes "KORTSIM", T=1 with its check byte, so tools show it as an unknown card. */
export const MINIMAL_ATR = Uint8Array.from([0x3b, 0x87, 0x80, 0x01, 0x4b, 0x4f, 0x52, 0x54, 0x53, 0x49, 0x4d, 0x53]);

const INS_SELECT = 0xa4;

export function createMinimalApplet(aid: Uint8Array = Uint8Array.from([0xa0, 0x00, 0x00, 0x00, 0x63, 0x50, 0x4b, 0x43, 0x53, 0x2d, 0x31, 0x35])): CardApplet {
  return {
    atr: MINIMAL_ATR,
    reset() {},
    process(command) {
      if (command.length < 4) return status(SW.WRONG_LENGTH);
      if (command[1] !== INS_SELECT) return status(SW.INS_NOT_SUPPORTED);
      const length = command[4] ?? 0;
      const requested = command.subarray(5, 5 + length);
      const same = requested.length === aid.length && requested.every((byte, i) => byte === aid[i]);
      return status(same ? SW.OK : SW.FILE_NOT_FOUND);
    },
  };
}
