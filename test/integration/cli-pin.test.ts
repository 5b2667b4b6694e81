import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createScenario, SCENARIO_PINS } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { READER_0 } from '../support/pcscd';
import { runCliAsync } from '../support/cli';

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
});
