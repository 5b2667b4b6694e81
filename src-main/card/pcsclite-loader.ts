// Loads pcsclite built for this runtime: Electron needs its own ABI build (scripts/setup.mjs makes it) beside Node's.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type pcsclite from 'pcsclite';

const requireAddon = createRequire(import.meta.url);
const electronBuild = fileURLToPath(new URL('../../build/electron/pcsclite', import.meta.url));

export function loadPcsclite(): typeof pcsclite {
  const underElectron = process.versions.electron !== undefined && existsSync(electronBuild);
  return requireAddon(underElectron ? electronBuild : 'pcsclite') as typeof pcsclite;
}
