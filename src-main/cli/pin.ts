// `cli pin change|unblock --reader NAME --pin auth|sign`: PINs from standard input only, never arguments or the environment.
import { createInterface } from 'node:readline';
import { ReaderService } from '../card/readers';
import { loadTrustedCertificates, trustFolders } from '../card/trust-store';
import { currentCrls } from '../cards/crls';
import { pinAuditWriter } from '../pins/audit';
import { holderByHsaId } from '../pins/holder';
import { createPinService } from '../pins/pins';
import { ensureRegisterAnswers } from '../db/register-health';
import { stationNameReader } from '../organisation/station-label';
import { CliError, type CliCommand } from './command';
import { withRegister } from './database';
import { cliActor } from './identity';
import { EXIT_NO_READER } from './readers';

const USAGE =
  'Usage: cli pin change|unblock --reader NAME --pin auth|sign [--use-anyway] [--trust DIR] [--data DIR] [--json]  (standard input: current PIN or PUK, then the new PIN, one per line; --use-anyway: the holder confirms a PIN the policy advises against)';

async function readTwoLines(): Promise<[string, string]> {
  const lines: string[] = [];
  const input = createInterface({ input: process.stdin, terminal: false });
  for await (const line of input) {
    lines.push(line.trim());
    if (lines.length === 2) break;
  }
  input.close();
  if (lines.length < 2) throw new CliError('missing-input', 'Standard input must hold two lines: the current PIN (or the PUK), then the new PIN.', 64);
  return [lines[0]!, lines[1]!];
}

export const pinCommand: CliCommand = {
  summary: 'pin change|unblock --reader NAME --pin auth|sign [--use-anyway]: change a PIN, or unblock it with the PUK (values on stdin)',
  // the kiosk's "Använd ändå": the holder was told the PIN is tied to them and keeps it; hard rules still hold
  options: { reader: { type: 'string' }, pin: { type: 'string' }, trust: { type: 'string' }, 'use-anyway': { type: 'boolean', default: false } },
  async run(invocation) {
    const { positionals, values, allowVirtualReaders } = invocation;
    const [action] = positionals;
    const reader = values.reader;
    const pin = values.pin;
    if ((action !== 'change' && action !== 'unblock') || typeof reader !== 'string' || (pin !== 'auth' && pin !== 'sign')) throw new CliError('usage', USAGE, 64);
    const [first, next] = await readTwoLines();
    return withRegister(invocation, async (db) => {
      const readers = new ReaderService({ allowVirtualReaders });
      readers.start();
      try {
        const snapshot = await readers.ready();
        if (!snapshot.serviceUp) throw new CliError('pcsc-unavailable', 'The PC/SC service (pcscd) is not running.', EXIT_NO_READER);
        if (!snapshot.readers.some((r) => r.name === reader && r.cardPresent)) throw new CliError('no-card', `No card in "${reader}".`, EXIT_NO_READER);
        const trust = { trustedRoots: () => loadTrustedCertificates(trustFolders(typeof values.trust === 'string' ? values.trust : undefined)), crls: () => currentCrls(db) };
        const pins = createPinService({ readers, audit: pinAuditWriter(db, stationNameReader(db)), recordable: () => ensureRegisterAnswers(db), holderOf: holderByHsaId(db), trust });
        const useAnyway = values['use-anyway'] === true;
        const outcome = action === 'change' ? await pins.change(reader, pin, first, next, cliActor(), useAnyway) : await pins.unblock(reader, pin, first, next, cliActor(), useAnyway);
        const text = outcome.ok
          ? `${action === 'change' ? 'PIN changed' : 'PIN unblocked'}.`
          : outcome.code === 'holder-advice'
            ? 'Not done: the new PIN is tied to the holder (personnummer, phone number); choose another, or run again with --use-anyway if the holder keeps it.'
            : `Not done: ${outcome.code}${outcome.triesLeft !== null ? `, ${outcome.triesLeft} tries left` : ''}${outcome.rejections.length ? ` (${outcome.rejections.join(', ')})` : ''}.`;
        return { output: { ok: outcome.ok, code: outcome.code, triesLeft: outcome.triesLeft }, text, exitCode: outcome.ok ? 0 : 1 };
      } finally {
        readers.stop();
      }
    });
  },
};
