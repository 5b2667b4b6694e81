import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createScenario } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { READER_0 } from '../support/pcscd';
import { writeTrustDir } from '../support/trust-dir';
import { cliCommand } from '../support/cli';

// async: the virtual card lives in this process and must keep answering while the CLI runs
const run = promisify(execFile);
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(...cliCommand(args), { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 700));

describe('cli card-test and crl import', () => {
  it('prints one JSON object with the agreed fields, and checks revocation against an imported CRL', async () => {
    const data = mkdtempSync(join(tmpdir(), 'kortstation-cli-'));
    const scenario = await createScenario('revoked');
    const trust = writeTrustDir(scenario.trustedRoots);
    const crlFile = join(data, 'issuing.crl');
    writeFileSync(crlFile, scenario.crls[0]!);
    const untrusted = await cli('crl', 'import', crlFile, '--data', data, '--json');
    expect(untrusted.code).toBe(1);
    expect(JSON.parse(untrusted.stdout)).toMatchObject({ error: { code: 'crl-untrusted' } });
    const imported = await cli('crl', 'import', crlFile, '--trust', trust, '--data', data, '--json');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ issuer: expect.stringContaining('SITHS e-id Person HSA-id 3 CA v1'), replaced: true });
    expect(JSON.parse((await cli('crl', 'import', crlFile, '--trust', trust, '--data', data, '--json')).stdout)).toMatchObject({ replaced: false });

    const card = await insertCard(scenario.applet, { reader: 0 });
    try {
      await settle();
      const result = await cli('card-test', '--reader', READER_0, '--trust', trust, '--data', data, '--json');
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split('\n')).toHaveLength(1);
      const report = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(Object.keys(report)).toEqual(expect.arrayContaining(['reader', 'atr', 'profile', 'cardSerial', 'holder', 'certificates', 'pins', 'verdict', 'findings']));
      expect(report).toMatchObject({ reader: READER_0, profile: 'pkcs15', verdict: 'error', holder: { hsaId: 'SE2321000016-1a2b' } });
      const certificates = report.certificates as { role: string; status: string; sha256: string; serialNumber: string; notAfter: string; daysLeft: number }[];
      expect(certificates.find((c) => c.role === 'auth')?.status).toBe('revoked');
      expect(certificates.every((c) => /^[0-9a-f]{64}$/.test(c.sha256) && /^[0-9a-f]+$/.test(c.serialNumber) && !Number.isNaN(Date.parse(c.notAfter)))).toBe(true);
      expect(report.pins).toEqual([
        { role: 'auth', triesLeft: 3, blocked: false },
        { role: 'sign', triesLeft: 3, blocked: false },
        { role: 'puk', triesLeft: 10, blocked: false },
      ]);

      const withoutCrl = await cli('card-test', '--trust', trust, '--data', mkdtempSync(join(tmpdir(), 'kortstation-cli-')), '--json');
      expect((JSON.parse(withoutCrl.stdout) as { certificates: { role: string; status: string }[] }).certificates.find((c) => c.role === 'auth')?.status).toBe('valid');
    } finally {
      await card.remove();
    }
  });

  it('exits 2 when there is no card or no such reader', async () => {
    await settle();
    const noCard = await cli('card-test', '--json', '--data', mkdtempSync(join(tmpdir(), 'kortstation-cli-')));
    expect(noCard.code).toBe(2);
    expect(JSON.parse(noCard.stdout)).toEqual({ error: { code: 'no-card', message: 'No reader has a card in it.' } });
    const noReader = await cli('card-test', '--reader', 'Nope 00', '--json', '--data', mkdtempSync(join(tmpdir(), 'kortstation-cli-')));
    expect(noReader.code).toBe(2);
  });

  it('refuses a file that is not a CRL and keeps what it had', async () => {
    const data = mkdtempSync(join(tmpdir(), 'kortstation-cli-'));
    const bogus = join(data, 'bogus.crl');
    writeFileSync(bogus, '-----BEGIN X509 CRL-----\nbm90IGEgY3Js\n-----END X509 CRL-----\n');
    const result = await cli('crl', 'import', bogus, '--data', data, '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'crl-invalid' } });
  });
});
