// Where the key file that opens OTP seeds lives: outside the data folder, so a copy or backup of that folder holds no key.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createPrivateFileOnce } from '../security/private-file';

/** Names the folder for key files instead of the user's config folder (tests, or a station that keeps keys on other storage). */
export const KEY_DIR_ENV = 'KORTSTATION_KEY_DIR';
/** A random name for the data folder, kept in it, so its key file is found again wherever the folder is moved. */
export const STATION_ID_FILE = 'station-id';

export function defaultKeyDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env[KEY_DIR_ENV]) return env[KEY_DIR_ENV];
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'kortstation', 'keys');
}

function readStationId(path: string): string {
  const id = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{32}$/.test(id)) throw new Error(`${path} is not a station id; restore it from a backup of the data folder`);
  return id;
}

/** The data folder's id, created (0600) on first use and linked into place whole; two processes starting at once agree on one. */
export function stationId(dataDir: string): string {
  const path = join(dataDir, STATION_ID_FILE);
  try {
    return readStationId(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // a station on the region database may have no data folder yet: it holds the id that finds its key
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  createPrivateFileOnce(path, Buffer.from(randomBytes(16).toString('hex')));
  return readStationId(path);
}

export function dataKeyPath(dataDir: string, keyDir = defaultKeyDir()): string {
  return join(keyDir, `${stationId(dataDir)}.key`);
}
