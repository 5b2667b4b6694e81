// `cli tokens import FILE [--unit REF] [--key-stdin | --password-stdin]`: a seed file into stock; the key or password only on stdin.
import { readFileSync } from 'node:fs';
import { AppError } from '../app-error';
import { stationNameReader } from '../organisation/station-label';
import { importTokens } from '../tokens/import';
import { keyFileDataKeySource } from '../tokens/seed-crypto';
import type { PskcDecryption } from '../tokens/token-file';
import { CliError, type CliCommand, type CliInvocation, type CliResult } from './command';
import { withRegister } from './database';
import { cliActor } from './identity';
import { withProgressLine } from './progress-line';

const USAGE = 'Usage: cli tokens import FILE [--unit REF] [--key-stdin | --password-stdin] [--data DIR | --database URL] [--json]  (without --unit: the station\'s own stock)';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function decryptionFromStdin(keyStdin: boolean, passwordStdin: boolean): Promise<PskcDecryption> {
  if (keyStdin && passwordStdin) throw new CliError('usage', 'Give --key-stdin or --password-stdin, not both.', 64);
  if (!keyStdin && !passwordStdin) return {};
  const secret = await readStdin();
  if (passwordStdin) {
    if (secret === '') throw new CliError('missing-input', 'Standard input must hold the file\'s password.', 64);
    return { password: secret };
  }
  const hex = secret.trim();
  if (!/^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64})$/.test(hex)) throw new CliError('bad-key', 'The key on standard input must be 16, 24 or 32 bytes in hex.', 64);
  return { preSharedKey: Buffer.from(hex, 'hex') };
}

async function runImport(file: string, invocation: CliInvocation, unitReference: string | undefined, decryption: PskcDecryption): Promise<CliResult> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new CliError('file-unreadable', `Cannot read ${file}.`, 1);
  }
  try {
    return await withRegister(invocation, async (db) => {
      // the seeds are sealed under the key file of --data, whichever register holds them
      const context = { db, dataKey: keyFileDataKeySource(invocation.dataDir), station: stationNameReader(db), now: () => new Date() };
      // the CLI is run by whoever administers the station's files: it acts as no staff account, under its own name
      const result = await withProgressLine(invocation, 'Importing tokens', (progress) => importTokens(context, cliActor(), { file: bytes, unitReference, decryption }, progress));
      const target = unitReference === undefined ? "the station's own stock" : `unit ${unitReference}`;
      return { output: { imported: result.imported, serials: result.serials }, text: `Imported ${result.imported} tokens (${result.format}) into ${target}.` };
    });
  } catch (error) {
    if (error instanceof AppError) throw new CliError(error.code, error.message, 1);
    throw error;
  }
}

export const tokensCommand: CliCommand = {
  summary: 'tokens import FILE [--unit REF] [--key-stdin | --password-stdin]: token seeds (PSKC or vendor CSV) into stock',
  options: { unit: { type: 'string' }, 'key-stdin': { type: 'boolean', default: false }, 'password-stdin': { type: 'boolean', default: false } },
  async run(invocation) {
    const { positionals, values } = invocation;
    const [action, file] = positionals;
    if (action !== 'import' || !file) throw new CliError('usage', USAGE, 64);
    const decryption = await decryptionFromStdin(values['key-stdin'] === true, values['password-stdin'] === true);
    return runImport(file, invocation, typeof values.unit === 'string' ? values.unit : undefined, decryption);
  },
};
