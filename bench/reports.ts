// Reports at scale: a month's invoice basis and the certificate expiry report over 50,000 people and 20,000 tokens, and a 100,000-row .xlsx export.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableColumn, TableRow } from '@shared/contract';
import type { Db } from '../src-main/db/data-layer';
import { openDatabase } from '../src-main/db/open';
import { invoiceMonth } from '../src-main/reports/invoices';
import { FULL_SCOPE } from '../src-main/organisation/organisation';
import { runReport } from '../src-main/reports/reports';
import { tableToXlsx } from '../src-main/reports/table-export';
import { summary } from './stats';

const PEOPLE = 50_000;
const TOKENS = 20_000;
const UNITS = 200;
const EXPORT_ROWS = 100_000;
const RUNS = 10;
const now = new Date('2026-11-23T10:00:00Z');

async function seed(db: Db): Promise<void> {
  await db.transaction(async () => {
    await db.run("INSERT INTO organisation (id, name, kind) VALUES (1, 'Region Bench', 'region')");
    for (let id = 1; id <= UNITS; id++) await db.run('INSERT INTO unit (id, organisation_id, name, reference) VALUES (?, 1, ?, ?)', [id, `Enhet ${id}`, `R${String(id).padStart(4, '0')}`]);
    for (let id = 1; id <= PEOPLE; id++) {
      await db.run("INSERT INTO person (id, first_name, surname, personnummer, employment_end, search_name, search_name_reversed, search_personnummer10, created_at, updated_at) VALUES (?, 'Anna', ?, ?, ?, '', '', '', '', '')", [
        id,
        `Berg${id}`,
        String(190_000_000_000 + id),
        id % 50 === 0 ? '2026-12-01' : null,
      ]);
      await db.run('INSERT INTO person_unit (person_id, unit_id) VALUES (?, ?)', [id, 1 + (id % UNITS)]);
      // certificates ending evenly over two years: about one in eight within 90 days
      await db.run("INSERT INTO card_order (person_id, order_date, order_reference, state, card_number, certificates_not_after, created_at, updated_at) VALUES (?, '2025-01-01', 'B', 'handed-over', ?, ?, '', '')", [
        id,
        `C${id}`,
        new Date(now.getTime() + (id % 730) * 86_400_000).toISOString(),
      ]);
    }
    for (let id = 1; id <= TOKENS; id++) {
      // every unit loses some: one invoice basis per reference
      const unitId = 1 + (Math.floor(id / 4) % UNITS);
      const lost = id % 4 === 0;
      await db.run("INSERT INTO token (id, serial, kind, algorithm, digits, sealed_seed, state, unit_id, imported_at, state_changed_at) VALUES (?, ?, 'hotp', 'SHA1', 6, ?, ?, ?, '', '')", [
        id,
        `T${id}`,
        Buffer.from([0]),
        lost ? 'lost' : 'in-stock',
        unitId,
      ]);
      if (lost) {
        await db.run("INSERT INTO charge (at, month, kind, amount_ore, person_id, unit_id, reference, token_id) VALUES (?, '2026-10', 'lost-token', 20000, ?, ?, ?, ?)", [
          `2026-10-${String(1 + (id % 28)).padStart(2, '0')}T10:00:00Z`,
          id,
          unitId,
          `R${String(unitId).padStart(4, '0')}`,
          id,
        ]);
      }
    }
  });
}

async function timed(work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let n = 0; n < RUNS; n++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return times;
}

export async function benchReports(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-bench-reports-'));
  const database = await openDatabase(join(dataDir, 'kortstation.sqlite'));
  try {
    await seed(database);
    const { bases } = await invoiceMonth(database, '2026-10', FULL_SCOPE, now);
    console.log(`reports invoice basis for a month (${bases.reduce((sum, basis) => sum + basis.lines.length, 0).toLocaleString('en')} charges, ${bases.length} references): ${summary(await timed(() => invoiceMonth(database, '2026-10', FULL_SCOPE, now)))}`);
    const expiring = (await runReport(database, { report: 'certificates-expiring', filters: {}, limit: 50, offset: 0 }, FULL_SCOPE, now)).total;
    console.log(`reports certificates expiring within 90 days over ${PEOPLE.toLocaleString('en')} people (${expiring.toLocaleString('en')} rows): ${summary(await timed(() => runReport(database, { report: 'certificates-expiring', filters: {}, limit: 50, offset: 0 }, FULL_SCOPE, now)))}`);
    console.log(`reports employment ending with card or token over ${PEOPLE.toLocaleString('en')} people: ${summary(await timed(() => runReport(database, { report: 'employment-ending', filters: {}, limit: 50, offset: 0 }, FULL_SCOPE, now)))}`);

    const columns: TableColumn[] = [
      { key: 'at', header: 'Tid', type: 'datetime' },
      { key: 'name', header: 'Namn', type: 'text' },
      { key: 'day', header: 'Datum', type: 'date' },
      { key: 'amount', header: 'Belopp (kr)', type: 'amount' },
      { key: 'count', header: 'Antal', type: 'integer' },
    ];
    const rows: TableRow[] = Array.from({ length: EXPORT_ROWS }, (_, n) => ({ at: new Date(now.getTime() - n * 60_000).toISOString(), name: `Anna Berg ${n}`, day: '2026-10-05', amount: 200, count: n }));
    const start = performance.now();
    const bytes = await tableToXlsx('Bench', columns, rows);
    console.log(`reports export ${EXPORT_ROWS.toLocaleString('en')} rows to .xlsx: ${((performance.now() - start) / 1000).toFixed(2)} s, ${(bytes.length / 1_048_576).toFixed(1)} MiB`);
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
