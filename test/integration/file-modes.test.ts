// Files open to every local user: a fresh station's data folder, database and keys are the owner's alone from their first byte.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATION_ID_FILE } from '../../src-main/tokens/data-key-location';
import { DATA_KEY_FILE_NAME } from '../../src-main/tokens/seed-crypto';
import { DATABASE_FILE } from '../../src-main/station';
import { generatePskc } from '../sim/pskc-generator';
import { cliCommand } from '../support/cli';

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('a new station on disk', () => {
  it('creates the data folder 0700, the database 0600 and the seed key 0600 outside the folder, even under umask 000', () => {
    const root = mkdtempSync(join(tmpdir(), 'kortstation-modes-'));
    const dataDir = join(root, 'data');
    const keyDir = join(root, 'keys');
    const tokens = join(root, 'dosor.xml');
    writeFileSync(tokens, generatePskc({ count: 2, kind: 'hotp', serialPrefix: 'MODE', encryption: 'none' }));
    const [command, args] = cliCommand(['tokens', 'import', tokens, '--data', dataDir, '--json']);
    // umask 000 would leave anything made with default modes, or tightened only afterwards, open to everyone for a moment
    const result = spawnSync('sh', ['-c', 'umask 000 && exec "$@"', 'sh', command, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, KORTSTATION_KEY_DIR: keyDir } });
    expect(result.status, result.stderr).toBe(0);

    expect(modeOf(dataDir)).toBe(0o700);
    const databaseFiles = readdirSync(dataDir).filter((name) => name.startsWith(DATABASE_FILE));
    expect(databaseFiles).toContain(DATABASE_FILE);
    for (const name of databaseFiles) expect({ name, mode: modeOf(join(dataDir, name)) }).toEqual({ name, mode: 0o600 });
    expect(modeOf(join(dataDir, STATION_ID_FILE))).toBe(0o600);
    expect(existsSync(join(dataDir, DATA_KEY_FILE_NAME))).toBe(false);

    expect(modeOf(keyDir)).toBe(0o700);
    const keyFiles = readdirSync(keyDir);
    expect(keyFiles).toHaveLength(1);
    expect(modeOf(join(keyDir, keyFiles[0]!))).toBe(0o600);
  });
});
