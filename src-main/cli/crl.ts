// `cli crl import FILE`: adds a revocation list the card test checks certificates against.
import { readFileSync } from 'node:fs';
import { AppError } from '../app-error';
import { loadTrustedCertificates, trustFolders } from '../card/trust-store';
import { importCrl } from '../cards/crls';
import { withRegister } from './database';
import { CliError, type CliCommand } from './command';
import { cliCaller } from './identity';

export const crlCommand: CliCommand = {
  summary: 'crl import FILE [--trust DIR]: import a revocation list (PEM or DER) signed by a trusted CA',
  options: { trust: { type: 'string' } },
  async run(invocation) {
    const { positionals, values } = invocation;
    const [action, file] = positionals;
    if (action !== 'import' || !file) throw new CliError('usage', 'Usage: cli crl import FILE [--trust DIR] [--data DIR] [--json]', 64);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch {
      throw new CliError('file-unreadable', `Cannot read ${file}.`, 1);
    }
    try {
      const trusted = loadTrustedCertificates(trustFolders(typeof values.trust === 'string' ? values.trust : undefined));
      const result = await withRegister(invocation, async (db) => importCrl(db, bytes, trusted, await cliCaller(db)));
      const text = result.replaced
        ? `Imported the revocation list of ${result.issuer} (next update ${result.nextUpdate ?? 'not given'}).`
        : `The station already has a list from ${result.issuer} at least as new; nothing changed.`;
      return { output: result, text };
    } catch (error) {
      if (error instanceof AppError) throw new CliError(error.code, `${file}: ${error.message}.`, 1);
      throw error;
    }
  },
};
