import { describe, expect, it } from 'vitest';
import { insertCard } from '../sim/vpcd';
import { createMinimalApplet, MINIMAL_ATR } from '../sim/minimal-applet';
import { READER_0, READER_1, startPcscd, stopPcscd } from '../support/pcscd';
import { spawnSync } from 'node:child_process';
import { BUILT_CLI, runCli } from '../support/cli';

const cli = (...args: string[]) => runCli(args);

async function waitForPcscd(): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const result = cli('readers', '--json');
    if (result.status === 0 && (JSON.parse(result.stdout) as unknown[]).length >= 2) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('pcscd did not come back');
}

describe('cli readers', () => {
  it('prints the readers and the card in each as JSON', async () => {
    const card = await insertCard(createMinimalApplet(), { reader: 1 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 600));
      const result = cli('readers', '--json');
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual([
        { name: READER_0, cardPresent: false, atr: null },
        { name: READER_1, cardPresent: true, atr: Buffer.from(MINIMAL_ATR).toString('hex') },
      ]);
      const human = cli('readers');
      expect(human.stdout).toContain(`${READER_1}: card present`);
    } finally {
      await card.remove();
    }
  });

  it('exits 2 with a clear error when PC/SC is unavailable', async () => {
    stopPcscd();
    await new Promise((resolve) => setTimeout(resolve, 300));
    try {
      const json = cli('readers', '--json');
      expect(json.status).toBe(2);
      expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'pcsc-unavailable', message: expect.stringContaining('pcscd') } });
      const human = cli('readers');
      expect(human.status).toBe(2);
      expect(human.stderr).toContain('The PC/SC service (pcscd) is not running');
    } finally {
      startPcscd();
      await waitForPcscd();
    }
  });

  it('refuses the virtual readers, which anyone on the network can drive, unless told to allow them', async () => {
    const card = await insertCard(createMinimalApplet(), { reader: 0 });
    try {
      const station = spawnSync(process.execPath, [BUILT_CLI, 'readers', '--json'], { encoding: 'utf8', timeout: 30_000 });
      expect(station.status).toBe(0);
      expect(JSON.parse(station.stdout)).toEqual([]);
      expect(station.stderr).toContain(`Refused the virtual card reader "${READER_0}"`);
      expect(station.stderr).toContain(`Refused the virtual card reader "${READER_1}"`);
      expect((JSON.parse(cli('readers', '--json').stdout) as unknown[]).length).toBe(2);
    } finally {
      await card.remove();
    }
  });

  it('rejects an unknown command', () => {
    const result = cli('nonsense');
    expect(result.status).toBe(64);
    expect(result.stderr).toContain('Unknown command "nonsense"');
  });
});
