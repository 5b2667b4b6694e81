// `cli card-test`: the card test of the kiosk, printed as one JSON object (or for people).
import type { CardTestReport } from '@shared/card-report';
import { runCardTest } from '../card/card-test';
import { ReaderService } from '../card/readers';
import { loadTrustedCertificates, trustFolders } from '../card/trust-store';
import { currentCrls } from '../cards/crls';
import { withStationDatabase } from './database';
import { CliError, type CliCommand } from './command';
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

export const cardTestCommand: CliCommand = {
  summary: 'test the card in a reader (certificates, expiry, trust, revocation, PIN/PUK tries)',
  options: { reader: { type: 'string' }, trust: { type: 'string' } },
  async run({ values, dataDir, allowVirtualReaders }) {
    const crls = await withStationDatabase(dataDir, (db) => currentCrls(db));
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
      const report = await readers.withCard(reader.name, (transmit) =>
        runCardTest(transmit, { readerName: reader.name, atr, trustedRoots: loadTrustedCertificates(trustFolders(typeof values.trust === 'string' ? values.trust : undefined)), crls, now: new Date() }),
      );
      return { output: report, text: describe(report), exitCode: report.outcome === 'complete' ? 0 : EXIT_NO_READER };
    } finally {
      readers.stop();
    }
  },
};
