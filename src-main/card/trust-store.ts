// The certificates the station trusts: PEM or DER files from resources/trust and any configured folder.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { x509 } from './x509';

const CERTIFICATE_FILE = /\.(pem|crt|cer|der)$/i;

/** resources/trust: two folders up both from this source file and from the bundled out/main/index.js. */
export const BUNDLED_TRUST_DIR = fileURLToPath(new URL('../../resources/trust', import.meta.url));

/** The bundled folder plus an extra one named by --trust or the station's settings. */
export const trustFolders = (extra?: string): string[] => (extra ? [BUNDLED_TRUST_DIR, extra] : [BUNDLED_TRUST_DIR]);

/** Reads one file as DER blocks: every certificate of a PEM file, or the file itself when it is DER. */
export function derBlocks(bytes: Uint8Array): Uint8Array[] {
  const text = Buffer.from(bytes).toString('latin1');
  if (!text.includes('-----BEGIN')) return [bytes];
  return x509.PemConverter.decode(text).map((block) => new Uint8Array(block));
}

export function loadTrustedCertificates(folders: readonly string[]): Uint8Array[] {
  const certificates: Uint8Array[] = [];
  for (const folder of folders) {
    if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) continue;
    for (const name of readdirSync(folder).filter((file) => CERTIFICATE_FILE.test(file)).sort()) {
      certificates.push(...derBlocks(readFileSync(join(folder, name))));
    }
  }
  return certificates;
}
