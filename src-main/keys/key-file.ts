// The region's data key as a file: made once by the region administrator, taken by every station, replaced whole on a rotation.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const DATA_KEY_BYTES = 32;

/** Where the key a rotation replaced is kept until the operator deletes it (a backup of the register may still need it). */
export const previousKeyPath = (path: string): string => `${path}.previous`;
/** Where a station's own key is kept when it takes the region's: its old SQLite file or backups may still be under it. */
export const beforeImportKeyPath = (path: string): string => `${path}.before-import`;
/** Where a rotation keeps the new key between writing it and the register's commit. */
export const nextKeyPath = (path: string): string => `${path}.next`;

export class KeyFileError extends Error {
  constructor(readonly code: 'key-file-exists' | 'previous-key-exists' | 'unfinished-rotation', message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

export const newDataKey = (): Buffer => randomBytes(DATA_KEY_BYTES);

/** Writes `key` to a new file, 0600 from its first byte and on disk before this returns; refuses a file that is there. */
export function writeNewKeyFile(path: string, key: Buffer): void {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyFileError('key-file-exists', `Filen finns redan; den skrivs inte över. / The file exists already; it is not overwritten. (${path})`);
    throw error;
  }
  try {
    writeSync(descriptor, key);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/** Before a replacement starts: a key kept at `keepAs` or an unfinished rotation must be dealt with by a person, not overwritten. */
export function checkReplaceable(path: string, keepAs: string): void {
  if (existsSync(nextKeyPath(path))) {
    throw new KeyFileError(
      'unfinished-rotation',
      `En tidigare nyckelrotation avslutades inte: ${nextKeyPath(path)} kan vara nyckeln som registret nu är krypterat med. Kontrollera vilken nyckel som öppnar registret innan filen tas bort. / An earlier key rotation did not finish: ${nextKeyPath(path)} may be the key the register is now encrypted under. Check which key opens the register before removing it.`,
    );
  }
  if (existsSync(keepAs)) {
    throw new KeyFileError(
      'previous-key-exists',
      `En tidigare nyckel finns kvar i ${keepAs}. Flytta eller ta bort den först (när ingen säkerhetskopia längre behöver den). / An earlier key is still in ${keepAs}. Move or delete it first (once no backup needs it).`,
    );
  }
}

/** Puts the staged key in place in one rename; the key it replaces stays at `keepAs` (0600, the same file). */
export function replaceKeyFile(path: string, staged: string, keepAs: string): void {
  if (existsSync(path)) linkSync(path, keepAs);
  renameSync(staged, path);
  // the rename is on disk before anyone is told the new key is in place
  const folder = openSync(dirname(path), 'r');
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
}

/** Removes a staged key that was never put in place. */
export function discardStagedKey(staged: string): void {
  try {
    unlinkSync(staged);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
