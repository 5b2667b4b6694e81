// OpenSC's command-line tools as an independent reader of the virtual card; async, because the card answers from this process.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { PinRole } from '@shared/card-report';

const execFileAsync = promisify(execFile);

/** OpenSC 0.23 binds a card with an unknown ATR only with the default driver, which this file enables. */
export const OPENSC_ENV = { ...process.env, OPENSC_CONF: fileURLToPath(new URL('../sim/opensc.conf', import.meta.url)) };

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool to its end; a non-zero exit is a result to assert on, not an exception. */
export async function runTool(command: string, args: readonly string[]): Promise<ToolRun> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { env: OPENSC_ENV, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Runs a tool with `input` on its standard input, so a PIN never sits on a command line. */
export function runToolWithInput(command: string, args: readonly string[], input: string): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: OPENSC_ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** One object block of pkcs15-tool's listing: `PIN [PUK]` followed by tab-indented `Name : value` lines. */
export interface ListedObject {
  kind: string;
  label: string;
  fields: ReadonlyMap<string, string>;
}

export function parseListing(stdout: string): ListedObject[] {
  const objects: ListedObject[] = [];
  let current: { kind: string; label: string; fields: Map<string, string> } | null = null;
  for (const line of stdout.split('\n')) {
    const header = /^(\S.*?) \[(.*)\]$/.exec(line);
    if (header) {
      current = { kind: header[1]!, label: header[2]!, fields: new Map() };
      objects.push(current);
      continue;
    }
    const field = /^\t([^:]+?)\s*: ?(.*)$/.exec(line);
    if (field && current) current.fields.set(field[1]!, field[2]!.trim());
  }
  return objects;
}

export interface OpenscPin {
  label: string;
  id: string;
  reference: number;
  /** hex, empty when OpenSC prints none (PIV) */
  path: string;
  flags: string[];
}

export interface OpenscKey {
  id: string;
  authId: string;
  usage: string[];
}

export interface OpenscListing {
  run: ToolRun;
  certificateIds: string[];
  pins: OpenscPin[];
  keys: OpenscKey[];
}

/** `[0x32], local, initialized` → ['local', 'initialized'] */
const flagWords = (value: string | undefined): string[] => (value ?? '').split(',').slice(1).map((word) => word.trim()).filter(Boolean);

/** extraArgs: e.g. `--aid` for a card whose first EF.DIR application is not the one to read. */
export async function listObjects(reader: string, extraArgs: readonly string[] = []): Promise<OpenscListing> {
  const run = await runTool('pkcs15-tool', ['--reader', reader, ...extraArgs, '--list-certificates', '--list-pins', '--list-keys']);
  const objects = parseListing(run.stdout);
  return {
    run,
    certificateIds: objects.filter((o) => o.kind === 'X.509 Certificate').map((o) => o.fields.get('ID') ?? ''),
    pins: objects
      .filter((o) => o.kind === 'PIN')
      .map((o) => ({
        label: o.label,
        id: o.fields.get('ID') ?? '',
        reference: Number.parseInt(o.fields.get('Reference') ?? 'NaN', 10),
        path: o.fields.get('Path') ?? '',
        flags: flagWords(o.fields.get('Flags')),
      })),
    keys: objects
      .filter((o) => o.kind.startsWith('Private'))
      .map((o) => ({ id: o.fields.get('ID') ?? '', authId: o.fields.get('Auth ID') ?? '', usage: flagWords(o.fields.get('Usage')) })),
  };
}

/** SHA-256 (hex) of the DER of one certificate as OpenSC reads it; it prints PEM. */
export async function readCertificateSha256(reader: string, id: string, extraArgs: readonly string[] = []): Promise<string> {
  const run = await runTool('pkcs15-tool', ['--reader', reader, ...extraArgs, '--read-certificate', id]);
  const pem = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(run.stdout);
  if (!pem) throw new Error(`pkcs15-tool printed no certificate for ${id}: ${run.stdout}${run.stderr}`);
  return createHash('sha256').update(Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64')).digest('hex');
}

/**
 * A PIN's role from OpenSC's own objects: the unblocking PIN is the PUK; a PIN guarding a plain signing key
 * authenticates, one guarding only non-repudiation keys signs; a PIN guarding no key goes by its label.
 */
export function pinRole(pin: OpenscPin, keys: readonly OpenscKey[]): PinRole {
  if (pin.flags.includes('unblockingPin')) return 'puk';
  const guarded = keys.filter((key) => key.authId === pin.id);
  if (guarded.some((key) => !key.usage.includes('nonRepudiation'))) return 'auth';
  if (guarded.length > 0) return 'sign';
  return /underskrift|sign/i.test(pin.label) ? 'sign' : 'auth';
}

const apduArg = (bytes: readonly number[]): string => bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');

/** SELECT by path from the MF, as OpenSC prints PIN paths (e.g. 3f005100). */
export const selectPath = (pathHex: string): number[] => {
  const path = [...Buffer.from(pathHex, 'hex')];
  return [0x00, 0xa4, 0x08, 0x0c, path.length, ...path];
};

export const selectAid = (aid: readonly number[]): number[] => [0x00, 0xa4, 0x04, 0x00, aid.length, ...aid];

/** Tries left read raw: VERIFY without data answers 63Cx (x tries), 6983 (blocked) or 9000 (already verified → unknown). */
export async function rawPinTries(reader: string, select: readonly number[], references: readonly number[]): Promise<Map<number, number | null>> {
  const apdus = [select, ...references.map((ref) => [0x00, 0x20, 0x00, ref])];
  const run = await runTool('opensc-tool', ['--reader', reader, ...apdus.flatMap((apdu) => ['--send-apdu', apduArg(apdu)])]);
  const words = [...run.stdout.matchAll(/Received \(SW1=0x([0-9A-Fa-f]{2}), SW2=0x([0-9A-Fa-f]{2})\)/g)].map((m) => (Number.parseInt(m[1]!, 16) << 8) | Number.parseInt(m[2]!, 16));
  if (words.length !== apdus.length || words[0] !== 0x9000) throw new Error(`opensc-tool did not select and verify: ${run.stdout}${run.stderr}`);
  const tries = new Map<number, number | null>();
  references.forEach((ref, index) => {
    const sw = words[index + 1]!;
    if ((sw & 0xfff0) === 0x63c0) tries.set(ref, sw & 0x0f);
    else if (sw === 0x6983) tries.set(ref, 0);
    else if (sw === 0x9000) tries.set(ref, null);
    else throw new Error(`VERIFY ${ref.toString(16)} answered ${sw.toString(16)}`);
  });
  return tries;
}
