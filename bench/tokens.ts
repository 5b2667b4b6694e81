// OTP tokens at scale: import a 10,000-token PSKC file (goal < 2 s), then verify codes with and without a typed serial.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { openDatabase } from '../src-main/db/open';
import type { Operator } from '../src-main/router';
import { checkToken } from '../src-main/tokens/counter';
import { importTokens } from '../src-main/tokens/import';
import { keyFileDataKeySource } from '../src-main/tokens/seed-crypto';
import { generatePskc, generatePskcTokens, GENERATOR_PRE_SHARED_KEY } from '../test/sim/pskc-generator';
import { summary } from './stats';

const TOKENS = 10_000;
const CHECKS = 200;
const SCANS = 10;
const admin: Operator = { id: 1, role: 'station-admin', unitIds: [] };

export async function benchTokens(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-bench-tokens-'));
  const db = await openDatabase(join(dataDir, 'kortstation.sqlite'));
  try {
    const context = { db, dataKey: keyFileDataKeySource(dataDir), station: async () => 'Bench', now: () => new Date() };
    const file = Buffer.from(generatePskc({ count: TOKENS, kind: 'hotp', encryption: 'psk' }));
    const tokens = generatePskcTokens({ count: TOKENS, kind: 'hotp' });
    context.dataKey(); // the key file is made once per station, not per import
    const importStart = performance.now();
    await importTokens(context, admin, { file, decryption: { preSharedKey: GENERATOR_PRE_SHARED_KEY } });
    const importSeconds = (performance.now() - importStart) / 1000;
    console.log(`tokens import ${TOKENS.toLocaleString('en')} PSKC (AES-128-CBC + HMAC) tokens, sealed with AES-256-GCM: ${importSeconds.toFixed(2)} s (goal < 2 s)`);

    const withSerialMs: number[] = [];
    for (let n = 0; n < CHECKS; n++) {
      const token = tokens[(n * 37) % TOKENS]!;
      const code = generateSync({ strategy: 'hotp', secret: token.secret, counter: 0 });
      const start = performance.now();
      await checkToken(context, admin, { serial: token.serial, code });
      withSerialMs.push(performance.now() - start);
    }
    console.log(`tokens check with serial (look-ahead 20): ${summary(withSerialMs)}`);

    const scanMs: number[] = [];
    for (let n = 0; n < SCANS; n++) {
      const token = tokens[TOKENS - 1 - n * 101]!;
      const code = generateSync({ strategy: 'hotp', secret: token.secret, counter: 0 });
      const start = performance.now();
      await checkToken(context, admin, { code });
      scanMs.push(performance.now() - start);
    }
    console.log(`tokens check without serial over ${TOKENS.toLocaleString('en')} tokens (look-ahead 5): ${summary(scanMs)}`);
  } finally {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
