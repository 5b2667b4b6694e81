import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPerson } from '../../src-main/people/people';
import { FULL_SCOPE } from '../../src-main/organisation/organisation';
import { createScenario, SCENARIO_HOLDER, SCENARIO_PINS } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { READER_0 } from '../support/pcscd';
import { runCliAsync } from '../support/cli';
import { openTestRegister } from '../support/register';
import { registerEnv } from '../support/register-location';
import { writeTrustDir } from '../support/trust-dir';

const cli = (args: string[], input: string) => runCliAsync(args, { input });

describe('cli pin', () => {
  it('changes and unblocks PINs read from standard input, printing {ok, code, triesLeft}', async () => {
    const data = mkdtempSync(join(tmpdir(), 'kortstation-cli-pin-'));
    const scenario = await createScenario('healthy');
    const card = await insertCard(scenario.applet, { reader: 0 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 700));
      const args = (action: string) => ['pin', action, '--reader', READER_0, '--pin', 'sign', '--data', data, '--json'];
      const wrong = await cli(args('change'), '111222\n394857\n');
      expect(wrong.status).toBe(1);
      expect(JSON.parse(wrong.stdout)).toEqual({ ok: false, code: 'wrong-pin', triesLeft: 2 });
      const changed = await cli(args('change'), `${SCENARIO_PINS.sign}\n394857\n`);
      expect(JSON.parse(changed.stdout)).toEqual({ ok: true, code: 'changed', triesLeft: null });
      expect(changed.status).toBe(0);
      expect(scenario.model!.toJSON().pins.sign.value).toBe('394857');
      const unblocked = await cli(args('unblock'), `${SCENARIO_PINS.puk}\n495867\n`);
      expect(JSON.parse(unblocked.stdout)).toEqual({ ok: true, code: 'unblocked', triesLeft: null });
      for (const result of [wrong, changed, unblocked]) expect(result.stdout + result.stderr).not.toMatch(/394857|495867|111222|12345678/);

      const missing = await cli(args('change'), `${SCENARIO_PINS.sign}\n`);
      expect(missing.status).toBe(64);
    } finally {
      await card.remove();
    }
  });

  it('changes to a PIN the policy advises against only with --use-anyway, as the kiosk asks the holder to confirm', async () => {
    const data = mkdtempSync(join(tmpdir(), 'kortstation-cli-pin-'));
    const register = await openTestRegister(data);
    // the card's holder is in the register: a PIN of their birth date is tied to them (seed 004)
    const personnummer = '198507099805';
    await createPerson(register, FULL_SCOPE, { firstName: 'Anna', surname: 'Testsson', personnummer, hsaId: SCENARIO_HOLDER.hsaId, username: null, email: null, mobile: null, employmentType: 'region', employmentEnd: null, unitIds: [] });
    await register.close();
    const birthDate = personnummer.slice(2, 8);
    const scenario = await createScenario('healthy');
    // only a card the station trusts, with a current CRL, is matched to its holder
    const trust = writeTrustDir(scenario.trustedRoots);
    const crlFile = join(data, 'issuing.crl');
    writeFileSync(crlFile, scenario.crls[0]!);
    const env = { ...process.env, ...registerEnv(data) };
    expect((await runCliAsync(['crl', 'import', crlFile, '--trust', trust, '--data', data, '--json'], { env })).status).toBe(0);
    const card = await insertCard(scenario.applet, { reader: 0 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 700));
      const run = (...flags: string[]) =>
        runCliAsync(['pin', 'change', '--reader', READER_0, '--pin', 'auth', '--trust', trust, '--data', data, ...flags], { input: `${SCENARIO_PINS.auth}\n${birthDate}\n`, env });
      const advised = await run('--json');
      expect(advised.status).toBe(1);
      expect(JSON.parse(advised.stdout)).toEqual({ ok: false, code: 'holder-advice', triesLeft: null });
      expect(scenario.model!.toJSON().pins.auth.value).toBe(SCENARIO_PINS.auth);
      const told = await run();
      expect(told.stdout).toContain('--use-anyway');
      const kept = await run('--use-anyway', '--json');
      expect(JSON.parse(kept.stdout)).toEqual({ ok: true, code: 'changed', triesLeft: null });
      expect(scenario.model!.toJSON().pins.auth.value).toBe(birthDate);
      for (const result of [advised, told, kept]) expect(result.stdout + result.stderr).not.toContain(birthDate);
    } finally {
      await card.remove();
    }
  }, 60_000);
});
