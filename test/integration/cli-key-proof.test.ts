import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createScenario, MAX_PIN_TRIES, SCENARIO_PINS, type ScenarioName } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { READER_0 } from '../support/pcscd';
import { runCliAsync } from '../support/cli';
import { openTestRegister } from '../support/register';
import { registerEnv } from '../support/register-location';
import { writeTrustDir } from '../support/trust-dir';

// the CLI finds the register of --data as the test does, on either engine
const cli = (args: string[], input: string) => runCliAsync(args, { input, env: { ...process.env, ...registerEnv(args[args.indexOf('--data') + 1]!) } });

/** The PIN as a value of its own, not digits inside a card serial. */
const alone = (pin: string): RegExp => new RegExp(`(?<!\\d)${pin}(?!\\d)`);

interface ProvedReport {
  verdict: string;
  keyProof: Record<string, string>;
  findings: { code: string; severity: string; message: string }[];
}

async function withCard<T>(name: ScenarioName, personality: 'pkcs15' | 'piv', work: (scenario: Awaited<ReturnType<typeof createScenario>>, trust: string) => Promise<T>): Promise<T> {
  const scenario = await createScenario(name, personality);
  const trust = writeTrustDir(scenario.trustedRoots);
  const card = await insertCard(scenario.applet, { reader: 0 });
  try {
    await new Promise((resolve) => setTimeout(resolve, 700));
    return await work(scenario, trust);
  } finally {
    await card.remove();
  }
}

const auditRows = async (data: string) => {
  const database = await openTestRegister(data);
  try {
    return await database.all<{ action: string; outcome: string; details: string }>("SELECT action, outcome, details FROM audit_entry WHERE action = 'card.key-checked' ORDER BY id");
  } finally {
    await database.close();
  }
};

describe.each(['pkcs15', 'piv'] as const)('cli card-test --prove-key over pcscd: %s', (personality) => {
  it('proves both keys of a healthy card with their PINs from standard input, and audits without the value', async () => {
    const data = mkdtempSync(join(tmpdir(), 'kortstation-key-proof-'));
    await withCard('healthy', personality, async (scenario, trust) => {
      for (const role of ['auth', 'sign'] as const) {
        // one PIV PIN guards both keys
        const pinRole = personality === 'piv' ? 'auth' : role;
        const result = await cli(['card-test', '--prove-key', role, '--reader', READER_0, '--trust', trust, '--data', data, '--json'], `${SCENARIO_PINS[pinRole]}\n`);
        expect(result.status).toBe(0);
        const report = JSON.parse(result.stdout) as ProvedReport;
        expect(report.keyProof).toEqual({ [role]: 'ok' });
        expect(report.findings.map((f) => f.code)).not.toContain('card-key-mismatch');
        expect(result.stdout + result.stderr).not.toMatch(alone(SCENARIO_PINS[pinRole]));
        expect(scenario.model!.triesLeft(pinRole)).toBe(MAX_PIN_TRIES);
      }
    });
    const rows = await auditRows(data);
    expect(rows.map((row) => [row.outcome, JSON.parse(row.details) as unknown])).toEqual([
      ['ok', { reader: READER_0, which: 'auth', result: 'ok', triesLeft: null }],
      ['ok', { reader: READER_0, which: 'sign', result: 'ok', triesLeft: null }],
    ]);
    for (const row of rows) for (const pin of [SCENARIO_PINS.auth, SCENARIO_PINS.sign]) expect(row.details).not.toMatch(alone(pin));
  });

  it('spends one try on a wrong PIN, none on a right one, and says blocked once the tries are gone', async () => {
    const data = mkdtempSync(join(tmpdir(), 'kortstation-key-proof-'));
    await withCard('healthy', personality, async (scenario, trust) => {
      const prove = (pin: string) => cli(['card-test', '--prove-key', 'auth', '--reader', READER_0, '--trust', trust, '--data', data, '--json'], `${pin}\n`);
      const wrong = await prove('111222');
      expect((JSON.parse(wrong.stdout) as ProvedReport).keyProof).toEqual({ auth: 'wrong-pin' });
      expect(scenario.model!.triesLeft('auth')).toBe(MAX_PIN_TRIES - 1);
      expect((JSON.parse((await prove(SCENARIO_PINS.auth)).stdout) as ProvedReport).keyProof).toEqual({ auth: 'ok' });
      expect(scenario.model!.triesLeft('auth')).toBe(MAX_PIN_TRIES);
      for (let spent = 1; spent <= MAX_PIN_TRIES; spent++) await prove('111222');
      expect(scenario.model!.triesLeft('auth')).toBe(0);
      const blocked = await prove(SCENARIO_PINS.auth);
      expect((JSON.parse(blocked.stdout) as ProvedReport).keyProof).toEqual({ auth: 'blocked' });
    });
    const details = (await auditRows(data)).map((row) => JSON.parse(row.details) as { result: string; triesLeft: number | null });
    expect(details[0]).toMatchObject({ result: 'wrong-pin', triesLeft: MAX_PIN_TRIES - 1 });
    expect(details.at(-1)).toMatchObject({ result: 'blocked' });
  });

  it('calls a card whose key is not its certificate\'s an error: order a new card', async () => {
    const data = mkdtempSync(join(tmpdir(), 'kortstation-key-proof-'));
    await withCard('copied-certificate', personality, async (_scenario, trust) => {
      const result = await cli(['card-test', '--prove-key', 'auth', '--reader', READER_0, '--trust', trust, '--data', data, '--json'], `${SCENARIO_PINS.auth}\n`);
      const report = JSON.parse(result.stdout) as ProvedReport;
      expect(report.keyProof).toEqual({ auth: 'mismatch' });
      expect(report.verdict).toBe('error');
      expect(report.findings).toContainEqual(
        expect.objectContaining({ code: 'card-key-mismatch', severity: 'error', message: 'Kortets nyckel hör inte till certifikatet — beställ nytt kort.' }),
      );
    });
  });

  it('says "not-supported" for a key the card has no certificate for, and spends no try', async () => {
    const data = mkdtempSync(join(tmpdir(), 'kortstation-key-proof-'));
    await withCard('sign-missing', personality, async (scenario, trust) => {
      const pinRole = personality === 'piv' ? 'auth' : 'sign';
      const result = await cli(['card-test', '--prove-key', 'sign', '--reader', READER_0, '--trust', trust, '--data', data, '--json'], `${SCENARIO_PINS[pinRole]}\n`);
      expect((JSON.parse(result.stdout) as ProvedReport).keyProof).toEqual({ sign: 'not-supported' });
      expect(scenario.model!.triesLeft(pinRole)).toBe(MAX_PIN_TRIES);
    });
  });

  it('reads the PIN only from standard input', async () => {
    const data = mkdtempSync(join(tmpdir(), 'kortstation-key-proof-'));
    const missing = await cli(['card-test', '--prove-key', 'auth', '--reader', READER_0, '--data', data, '--json'], '');
    expect(missing.status).toBe(64);
    const unknownRole = await cli(['card-test', '--prove-key', 'puk', '--reader', READER_0, '--data', data, '--json'], '12345678\n');
    expect(unknownRole.status).toBe(64);
  });
});

describe.each(['pkcs15', 'piv'] as const)('cli card-test --trace over pcscd: %s', (personality) => {
  it('writes the APDU exchange with status words and times, and no PIN in any form', async () => {
    const data = mkdtempSync(join(tmpdir(), 'kortstation-trace-'));
    const traceFile = join(data, 'trace.txt');
    await withCard('healthy', personality, async (_scenario, trust) => {
      const result = await cli(['card-test', '--prove-key', 'auth', '--trace', traceFile, '--reader', READER_0, '--trust', trust, '--data', data, '--json'], `${SCENARIO_PINS.auth}\n`);
      expect((JSON.parse(result.stdout) as ProvedReport).keyProof).toEqual({ auth: 'ok' });
    });
    const trace = readFileSync(traceFile, 'utf8');
    expect(trace).toContain(`Läsare: ${READER_0}`);
    expect(trace).toMatch(/^#1 > 00 a4 /m);
    expect(trace).toMatch(/SW 9000, \d+\.\d ms/);
    // the key check's VERIFY is there, its body is not
    expect(trace).toMatch(/^#\d+ > 00 20 00 [0-9a-f]{2} [0-9a-f]{2}( \*\*)+$/m);
    for (const pin of Object.values(SCENARIO_PINS)) {
      const ascii = Buffer.from(pin, 'ascii').toString('hex').replace(/(..)(?!$)/g, '$1 ');
      expect(trace).not.toContain(ascii);
      expect(trace).not.toMatch(new RegExp(`(?<![0-9a-f])${pin}(?![0-9a-f])`));
    }
  });
});
