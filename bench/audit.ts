// Audit trail at scale: append a million entries in transactions of 10,000, then verify the whole chain.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src-main/db/open';
import { appendAudit } from '../src-main/audit/audit';
import { verifyAudit } from '../src-main/audit/verify';
import { summary } from './stats';

const ROWS = 1_000_000;
const BATCH = 10_000;

export async function benchAudit(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-bench-audit-'));
  const path = join(dataDir, 'kortstation.sqlite');
  const database = await openDatabase(path);
  try {
    const appendBatch = (first: number) =>
      database.transaction(async () => {
        for (let n = first; n < first + BATCH; n++) {
          await appendAudit(database, {
            station: 'Akademiska',
            actor: n % 10 === 0 ? null : `staff-${n % 50}`,
            action: n % 3 === 0 ? 'card.tested' : 'pin.changed',
            subjectType: 'card',
            subjectId: `SE2321000016-${n}`,
            outcome: 'ok',
            details: { reader: 'Virtual PCD 00 00', cardSerial: String(n) },
          });
        }
      });
    const batchMs: number[] = [];
    const appendStart = performance.now();
    for (let first = 0; first < ROWS; first += BATCH) {
      const batchStart = performance.now();
      await appendBatch(first);
      batchMs.push(performance.now() - batchStart);
    }
    const appendSeconds = (performance.now() - appendStart) / 1000;
    console.log(`audit append ${ROWS.toLocaleString('en')} rows in transactions of ${BATCH.toLocaleString('en')}: ${appendSeconds.toFixed(1)} s (${Math.round(ROWS / appendSeconds).toLocaleString('en')} rows/s); per transaction ${summary(batchMs)}`);

    const verifyStart = performance.now();
    const result = await verifyAudit(database);
    const verifySeconds = (performance.now() - verifyStart) / 1000;
    const fileMb = (statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0)) / 1e6;
    console.log(`audit verify ${result.rows.toLocaleString('en')} rows: ${verifySeconds.toFixed(1)} s (${Math.round(result.rows / verifySeconds).toLocaleString('en')} rows/s), ok=${result.ok}; database ${fileMb.toFixed(0)} MB`);
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
