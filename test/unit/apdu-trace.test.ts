import { describe, expect, it } from 'vitest';
import { maskedCommand } from '../../src-main/card/apdu-trace';

const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/ /g, ''), 'hex'));

describe('support trace masking', () => {
  it('hides the data of VERIFY, CHANGE REFERENCE DATA and RESET RETRY COUNTER, keeping header and length', () => {
    expect(maskedCommand(bytes('00 20 00 81 08 31 32 33 34 35 36 ff ff'))).toBe('00 20 00 81 08 ** ** ** ** ** ** ** **');
    expect(maskedCommand(bytes('00 24 00 80 10 31 32 33 34 35 36 ff ff 33 39 34 38 35 37 ff ff'))).toBe(`00 24 00 80 10 ${Array(16).fill('**').join(' ')}`);
    expect(maskedCommand(bytes('00 2c 00 80 04 12 34 56 78'))).toBe('00 2c 00 80 04 ** ** ** **');
  });

  it('shows a VERIFY without data (asking for tries) and every other command as sent', () => {
    expect(maskedCommand(bytes('00 20 00 81'))).toBe('00 20 00 81');
    expect(maskedCommand(bytes('00 a4 04 00 06 a0 00 00 00 63 50'))).toBe('00 a4 04 00 06 a0 00 00 00 63 50');
  });
});
