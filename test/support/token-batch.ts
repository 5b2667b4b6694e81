// HOTP tokens with seeds the test knows: the PSKC file a stock administrator imports, and the code each token shows first.
import { generateSync } from 'otplib';
import { generatePskc, generatePskcTokens } from '../sim/pskc-generator';
import type { Api } from './staff-session';

export interface TokenBatch {
  serials: string[];
  /** The plain PSKC file, base64 as `tokens.import` takes it. */
  pskcBase64: string;
  /** The code shown at the first press of ON (RFC 4226, counter 0). */
  firstCode(serial: string): string;
}

export function hotpBatch(serialPrefix: string, count: number): TokenBatch {
  const seeds = new Map(generatePskcTokens({ count, kind: 'hotp', serialPrefix }).map((token) => [token.serial, token.secret]));
  return {
    serials: [...seeds.keys()],
    pskcBase64: Buffer.from(generatePskc({ count, kind: 'hotp', serialPrefix, encryption: 'none' })).toString('base64'),
    firstCode(serial) {
      const secret = seeds.get(serial);
      if (!secret) throw new Error(`no token ${serial} in this batch`);
      return generateSync({ strategy: 'hotp', secret, counter: 0 });
    },
  };
}

/** Imports the batch into a unit's stock (by its reference). */
export async function importBatch(api: Api, batch: TokenBatch, unitReference: string): Promise<void> {
  await api('tokens.import', { contentBase64: batch.pskcBase64, unitReference });
}
