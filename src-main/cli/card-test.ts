// `cli card-test`: the card test of the kiosk, printed as one JSON object (or for people).
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CardTestReport } from '@shared/card-report';
import { KEY_MISMATCH_FINDING } from '@shared/domain/card-verdict';
import { ApduTrace } from '../card/apdu-trace';
import { runCardTest } from '../card/card-test';
import { type KeyCheck, checkCardKey } from '../card/key-check';
import { type ReaderTransmit } from '../card/reader-connection';
import { ReaderService } from '../card/readers';
import { loadTrustedCertificates, trustFolders } from '../card/trust-store';
import { currentCrls } from '../cards/crls';
import { auditKeyCheck } from '../cards/key-check-audit';
import { withRegister } from './database';
import { CliError, type CliCommand } from './command';
import { cliCaller } from './identity';
import { EXIT_NO_READER } from './readers';

function describe(report: CardTestReport): string {
  const lines = [
    `${report.reader}: ${report.profile} card ${report.cardSerial ?? ''} — verdict ${report.verdict ?? 'none'}`,
    `holder: ${report.holder.name ?? '?'} (${report.holder.hsaId ?? 'no HSA-ID'})`,
    ...report.certificates.map((c) => `  ${c.role.padEnd(5)} ${c.status.padEnd(13)} until ${c.notAfter.slice(0, 10)} (${c.daysLeft} days) ${c.subject}`),
    ...report.pins.map((p) => `  ${p.role.padEnd(5)} tries left ${p.triesLeft ?? '?'}${p.blocked ? ' BLOCKED' : ''}`),
    ...report.findings.map((f) => `  [${f.severity}] ${f.message}`),
  ];
  return lines.join('\n');
}

const USAGE = 'Usage: cli card-test [--reader NAME] [--trust DIR] [--prove-key auth|sign] [--trace FILE] [--json]  (with --prove-key, standard input: the PIN)';

async function readPin(): Promise<string> {
  const input = createInterface({ input: process.stdin, terminal: false });
  for await (const line of input) {
    input.close();
    return line.trim();
  }
  throw new CliError('missing-input', 'Standard input must hold the PIN on one line.', 64);
}

/** The key check joins the card test's report; a key that is not the certificate's is an error for the holder. */
function withKeyCheck(report: CardTestReport, check: KeyCheck): CardTestReport & { keyProof: Record<string, string> } {
  const mismatch = check.result === 'mismatch';
  return {
    ...report,
    verdict: mismatch ? 'error' : report.verdict,
    findings: mismatch ? [...report.findings, KEY_MISMATCH_FINDING] : report.findings,
    keyProof: { [check.role]: check.result },
  };
}

export const cardTestCommand: CliCommand = {
  summary: 'test the card in a reader (certificates, expiry, trust, revocation, PIN/PUK tries)',
  options: { reader: { type: 'string' }, trust: { type: 'string' }, 'prove-key': { type: 'string' }, trace: { type: 'string' } },
  async run(invocation) {
    const { values, allowVirtualReaders } = invocation;
    const proveRole = values['prove-key'];
    if (proveRole !== undefined && proveRole !== 'auth' && proveRole !== 'sign') throw new CliError('usage', USAGE, 64);
    const pin = proveRole ? await readPin() : null;
    return withRegister(invocation, async (db) => {
      const crls = await currentCrls(db);
      const readers = new ReaderService({ allowVirtualReaders });
      readers.start();
      try {
        const snapshot = await readers.ready();
        if (!snapshot.serviceUp) throw new CliError('pcsc-unavailable', 'The PC/SC service (pcscd) is not running.', EXIT_NO_READER);
        const wanted = typeof values.reader === 'string' ? values.reader : undefined;
        const reader = wanted ? snapshot.readers.find((r) => r.name === wanted) : snapshot.readers.find((r) => r.cardPresent);
        if (!reader) throw new CliError(wanted ? 'reader-not-found' : 'no-card', wanted ? `No reader named "${wanted}".` : 'No reader has a card in it.', EXIT_NO_READER);
        if (!reader.cardPresent || !reader.atr) throw new CliError('no-card', `No card in "${reader.name}".`, EXIT_NO_READER);
        const atr = Uint8Array.from(Buffer.from(reader.atr, 'hex'));
        const trustedRoots = loadTrustedCertificates(trustFolders(typeof values.trust === 'string' ? values.trust : undefined));
        const trace = typeof values.trace === 'string' ? new ApduTrace({ reader: reader.name, atr: reader.atr, at: new Date() }) : null;
        const testCard = async (card: ReaderTransmit) => {
          const transmit = trace ? trace.recording(card) : card;
          const cardTest = await runCardTest(transmit, { readerName: reader.name, atr, trustedRoots, crls, now: new Date() });
          const keyCheck = proveRole && pin !== null && cardTest.outcome === 'complete' ? await checkCardKey(transmit, proveRole, pin) : null;
          return { cardTest, keyCheck };
        };
        // a PIN verified for the key check must not outlive it
        let tested: Awaited<ReturnType<typeof testCard>>;
        try {
          tested = await readers.withCard(reader.name, testCard, { resetAfter: proveRole !== undefined });
        } finally {
          // the trace of a test that broke off is the one support needs most
          if (trace && typeof values.trace === 'string') writeFileSync(values.trace, trace.text());
        }
        if (tested.keyCheck) {
          const { actor, station } = await cliCaller(db);
          await auditKeyCheck(db, { station, actor, reader: reader.name, check: tested.keyCheck });
        }
        const report = tested.keyCheck ? withKeyCheck(tested.cardTest, tested.keyCheck) : tested.cardTest;
        const text = describe(report) + (tested.keyCheck ? `\n  key proof (${tested.keyCheck.role}): ${tested.keyCheck.result}` : '');
        return { output: report, text, exitCode: report.outcome === 'complete' ? 0 : EXIT_NO_READER };
      } finally {
        readers.stop();
      }
    });
  },
};
