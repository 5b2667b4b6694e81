// OpenSC signs with the virtual PIV card's key, and the signature checks out against the card's certificate with node:crypto alone.
import { X509Certificate, createHash, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReaderService } from '../../src-main/card/readers';
import type { KeyAlgorithm } from '../sim/card-keys';
import { SCENARIO_PINS, type ScenarioName, createScenario } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { nextEvent } from '../support/events';
import { runToolWithInput } from '../support/opensc';
import { READER_1 } from '../support/pcscd';

/** OpenSC's PIV emulation lists the PIV authentication key (9A) as key ID 01. */
const PIV_AUTH_KEY_ID = '01';
const CARD_TIMEOUT_MS = 60_000;

// pcscd's own view of reader 1: OpenSC starts only once pcscd has reported the card in, and the next card waits until it is out
const readers = new ReaderService({ allowVirtualReaders: true });
beforeAll(async () => {
  readers.start();
  await readers.ready();
});
afterAll(() => readers.stop());

/** pkcs15-crypt --sign over the SHA-256 of a fresh challenge; PKCS#1 v1.5 for RSA, DER (openssl format) for ECDSA. */
async function signWithOpenSc(name: ScenarioName, keyAlgorithm: KeyAlgorithm): Promise<{ matches: boolean; code: number; stderr: string }> {
  const scenario = await createScenario(name, 'piv', { keyAlgorithm });
  const certificate = new X509Certificate(scenario.model!.certificates.find((c) => c.slot === 'auth')!.der);
  const challenge = randomBytes(32);
  const dir = mkdtempSync(join(tmpdir(), 'kortstation-opensc-sign-'));
  writeFileSync(join(dir, 'digest'), createHash('sha256').update(challenge).digest());
  const format = keyAlgorithm === 'rsa-2048' ? ['--pkcs1'] : ['--signature-format', 'openssl'];
  const inserted = nextEvent(readers, 'card-inserted', (e) => e.reader === READER_1);
  const card = await insertCard(scenario.applet, { reader: 1 });
  try {
    await inserted;
    const run = await runToolWithInput(
      'pkcs15-crypt',
      ['--reader', READER_1, '--sign', '--key', PIV_AUTH_KEY_ID, '--sha-256', ...format, '--input', join(dir, 'digest'), '--output', join(dir, 'signature'), '--pin', '-'],
      `${SCENARIO_PINS.auth}\n`,
    );
    if (run.code !== 0) return { matches: false, code: run.code, stderr: run.stderr };
    return { matches: verify('sha256', challenge, certificate.publicKey, readFileSync(join(dir, 'signature'))), code: 0, stderr: run.stderr };
  } finally {
    const removed = nextEvent(readers, 'card-removed', (e) => e.reader === READER_1);
    await card.remove();
    await removed;
  }
}

describe.each(['rsa-2048', 'ec-p256'] as const)('OpenSC signs with the virtual PIV card (%s)', (keyAlgorithm) => {
  it('a healthy card: the signature verifies against its certificate', { timeout: CARD_TIMEOUT_MS }, async () => {
    const result = await signWithOpenSc('healthy', keyAlgorithm);
    expect(result.code, result.stderr).toBe(0);
    expect(result.matches).toBe(true);
  });

  it('a copied certificate: the card signs, but the signature does not verify', { timeout: CARD_TIMEOUT_MS }, async () => {
    const result = await signWithOpenSc('copied-certificate', keyAlgorithm);
    expect(result.code, result.stderr).toBe(0);
    expect(result.matches).toBe(false);
  });
});
