// Opens a test's register as the station opens it, on the engine the run tests (see register-location.ts).
import { auditKeyFromDataKey } from '../../src-main/audit/key';
import type { OpenRegister } from '../../src-main/db/data-layer';
import { openDatabase, type OpenOptions } from '../../src-main/db/open';
import { keyFileDataKeySource } from '../../src-main/tokens/seed-crypto';
import { testRegisterLocation } from './register-location';

/** The register of this data folder, opened as the station opens it (audit chained under the folder's key file). */
export function openTestRegister(dataDir: string, options: OpenOptions = {}): Promise<OpenRegister> {
  return openDatabase(testRegisterLocation(dataDir), { auditKey: auditKeyFromDataKey(keyFileDataKeySource(dataDir)), ...options });
}
