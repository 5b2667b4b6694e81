// Writes a scenario's test PKI roots to a folder the station can be pointed at with --trust.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x509 } from '../../src-main/card/x509';

export function writeTrustDir(roots: readonly Uint8Array[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'kortstation-trust-'));
  roots.forEach((der, index) => writeFileSync(join(dir, `root-${index}.pem`), x509.PemConverter.encode(Uint8Array.from(der).buffer, 'CERTIFICATE')));
  return dir;
}
