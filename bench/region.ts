// The region register side by side on SQLite and PostgreSQL: people search on 50,000 people, handover and token issue at 20 stations at once, and a month's invoice basis beside 1,000,000 audit rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendAudit } from '../src-main/audit/audit';
import { generateSync } from 'otplib';
import type { CardTestReport } from '@shared/card-report';
import { auditKeyFromDataKey } from '../src-main/audit/key';
import { CardTestService } from '../src-main/cards/card-tests';
import { createCardLifecycle, type Caller } from '../src-main/cards/lifecycle';
import type { Db, OpenRegister } from '../src-main/db/data-layer';
import { openDatabase } from '../src-main/db/open';
import { FULL_SCOPE } from '../src-main/organisation/organisation';
import { parsePeopleFile } from '../src-main/people/import';
import { importPeople } from '../src-main/people/import-apply';
import { searchPeople } from '../src-main/people/people';
import { invoiceMonth } from '../src-main/reports/invoices';
import type { Operator } from '../src-main/router';
import { issueToken } from '../src-main/tokens/counter';
import { importTokens } from '../src-main/tokens/import';
import { keyFileDataKeySource } from '../src-main/tokens/seed-crypto';
import type { TokenServiceContext } from '../src-main/tokens/store';
import { csvLine, TEMPLATE_HEADER, testPerson } from '../test/people-data';
import { generatePskc, generatePskcTokens } from '../test/sim/pskc-generator';
import { startPostgres, freshPostgresDatabase } from '../test/support/postgres';
import { testedCardInReader1 } from '../test/support/tested-card';
import { measureStolenShare, percentile, stolenText } from './stats';

/** KORTSTATION_BENCH_REGION=quick: a tenth of the sizes, for a run in a minute; the figures then say so. */
const QUICK = process.env.KORTSTATION_BENCH_REGION === 'quick';
const PEOPLE = QUICK ? 5_000 : 50_000;
const AUDIT_ROWS = QUICK ? 100_000 : 1_000_000;
const STATIONS = 20;
const PER_STATION = 50;
// a station's first calls run on fresh connections and code not yet compiled: its warm-up, done before the clock starts
const WARM_UP_PER_STATION = 10;
const MEASURED = STATIONS * PER_STATION;
const SERVED = MEASURED + STATIONS * WARM_UP_PER_STATION;
const SEARCHED_PEOPLE = 100;
const CHARGES = 5_000;
const MONTH = '2026-10';
const READER = 'Virtual PCD 00 01';
const GOALS = { searchP95Ms: 10, handoverP95Ms: 50 };
const admin: Operator = { id: 1, role: 'station-admin', unitIds: [] };
const caller: Caller = { actor: '1', scope: FULL_SCOPE };

interface Figures {
  search: number[];
  handover: { samples: number[]; perSecond: number };
  issue: { samples: number[]; perSecond: number };
  invoice: number[];
  /** The share of the CPU the virtual machine's host took for others while the stations worked. */
  stolen: number | null;
}

const stationName = (index: number): string => `Station ${index + 1}`;
/** Which station serves person n (and their order, card and token): the measured calls first, then the warm-up calls. */
const stationServing = (n: number): number => (n < MEASURED ? Math.floor(n / PER_STATION) : Math.floor((n - MEASURED) / WARM_UP_PER_STATION));
const cardNumber = (n: number): string => `9752${String(n).padStart(16, '0')}`;

async function seedPeople(db: Db): Promise<void> {
  const lines = [TEMPLATE_HEADER];
  for (let n = 0; n < PEOPLE; n++) lines.push(csvLine(testPerson(n)));
  const report = await importPeople(db, FULL_SCOPE, await parsePeopleFile(new TextEncoder().encode(lines.join('\r\n')), 'people.csv'));
  if (report.created !== PEOPLE) throw new Error(`seeding people: ${JSON.stringify(report.errors.slice(0, 3))}`);
}

/** One ready order per handover for people 0 … n-1, whose card is the one the station's test reads, photographed at the station that hands it over. */
async function seedOrders(db: Db, count: number): Promise<number[]> {
  const stationIds = new Map<string, number>();
  const photoStation = async (n: number): Promise<number> => {
    // SQLite is one station's file, where all 20 counters are that station
    const name = db.engine === 'postgres' ? stationName(stationServing(n)) : stationName(0);
    let id = stationIds.get(name);
    if (id === undefined) stationIds.set(name, (id = await db.insert("INSERT INTO station (name, site, address) VALUES (?, 'Ingång 1', 'Vägen 1')", [name])));
    return id;
  };
  const people = await db.column<number>('SELECT id FROM person ORDER BY id LIMIT ?', [count]);
  const orders: number[] = [];
  for (const [n, personId] of people.entries()) {
    orders.push(
      await db.insert(
        `INSERT INTO card_order (person_id, order_date, order_reference, state, card_number, photo_station_id, ready_at, created_at, updated_at)
         VALUES (?, '2026-11-01', 'BEST', 'ready', ?, ?, '2026-11-02T08:00:00.000Z', '', '')`,
        [personId, cardNumber(n), await photoStation(n)],
      ),
    );
  }
  return orders;
}

/** 20 stations, each warmed up, then doing its share one call after another, all at once; each call's time and the calls per second. */
async function atStations(stations: Db[], work: (db: Db, station: number, person: number) => Promise<unknown>): Promise<{ samples: number[]; perSecond: number }> {
  await Promise.all(
    stations.map(async (db, station) => {
      for (let call = 0; call < WARM_UP_PER_STATION; call++) await work(db, station, MEASURED + station * WARM_UP_PER_STATION + call);
    }),
  );
  const samples: number[] = [];
  const start = performance.now();
  await Promise.all(
    stations.map(async (db, station) => {
      for (let call = 0; call < PER_STATION; call++) {
        const began = performance.now();
        await work(db, station, station * PER_STATION + call);
        samples.push(performance.now() - began);
      }
    }),
  );
  return { samples, perSecond: samples.length / ((performance.now() - start) / 1000) };
}

/** 1,000,000 rows of trail in one statement per engine: the register a region has after some years. */
async function bulkAudit(db: Db): Promise<void> {
  const first = ((await db.value<number>('SELECT max(id) FROM audit_entry')) ?? 0) + 1;
  const rows =
    db.engine === 'postgres'
      ? `SELECT generate_series(?::bigint, ?::bigint) AS n`
      : `WITH RECURSIVE series(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM series WHERE n < ?) SELECT n FROM series`;
  await db.run(
    `INSERT INTO audit_entry (id, at, station, actor, action, subject_type, subject_id, outcome, details, prev_hash, hash)
     SELECT n, '2026-10-15T10:00:00.000Z', 'Bench', '1', 'person.viewed', 'person', '1', 'ok', NULL, 'x', 'x' FROM (${rows}) series`,
    [first, first + AUDIT_ROWS - 1],
  );
  for (let n = 0; n < CHARGES; n++) {
    await db.run("INSERT INTO charge (at, month, kind, amount_ore, person_id, unit_id, reference, token_id) VALUES (?, ?, 'lost-token', 20000, NULL, NULL, ?, NULL)", [`${MONTH}-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00.000Z`, MONTH, `R${n % 200}`]);
  }
}

async function measure(location: string, keyDir: string, report: CardTestReport, cardTests: CardTestService): Promise<Figures> {
  // each PostgreSQL station is a kiosk of its own name, so it appends to its own audit chain
  const open = (station: number): Promise<OpenRegister> => openDatabase(location, { auditKey: auditKeyFromDataKey(keyFileDataKeySource(keyDir)), station: stationName(station) });
  const first = await open(0);
  const registers: OpenRegister[] = [first];
  try {
    await seedPeople(first);
    const orders = await seedOrders(first, SERVED);
    const context = (db: Db, station: number): TokenServiceContext => ({ db, dataKey: keyFileDataKeySource(keyDir), station: async () => stationName(station), now: () => new Date() });
    await importTokens(context(first, 0), admin, { file: Buffer.from(generatePskc({ count: SERVED, kind: 'hotp', serialPrefix: 'RB', encryption: 'none' })), decryption: {} });
    const tokens = generatePskcTokens({ count: SERVED, kind: 'hotp', serialPrefix: 'RB' });
    const people = await first.all<{ id: number; first_name: string; surname: string; hsa_id: string }>('SELECT id, first_name, surname, hsa_id FROM person ORDER BY id LIMIT ?', [SERVED]);
    // as pgbench does before it measures: a region's database is vacuumed and analysed, not just bulk-loaded
    if (first.engine === 'postgres') await first.run('VACUUM ANALYZE');

    const search: number[] = [];
    for (let sample = 0; sample < SEARCHED_PEOPLE; sample++) {
      const person = testPerson(Math.floor((sample * PEOPLE) / SEARCHED_PEOPLE));
      for (const key of [`${person.firstName} ${person.surname}`, person.personnummer]) {
        for (let length = 1; length <= key.length; length++) {
          const start = performance.now();
          await searchPeople(first, FULL_SCOPE, key.slice(0, length));
          search.push(performance.now() - start);
        }
      }
    }

    // a PostgreSQL station is a register of its own (own connections); a SQLite register is one station's file, so there the 20 counters share it
    for (let n = 1; n < STATIONS; n++) registers.push(first.engine === 'postgres' ? await open(n) : first);
    // each station joined the region before this morning, and joining starts its audit chain
    for (const [index, register] of [...new Set(registers)].entries()) await appendAudit(register, { station: stationName(index), actor: null, action: 'station.joined', outcome: 'ok' });
    const { result: handover, stolen } = await measureStolenShare(() => atStations(registers, (db, _station, n) => {
      const person = people[n]!;
      // the card each person brings: the real card test's report, under that person's card number and name
      const brought: CardTestReport = { ...report, cardSerial: cardNumber(n), holder: { name: `${person.first_name} ${person.surname}`, hsaId: person.hsa_id } };
      const lifecycle = createCardLifecycle({ db, cardTests: { results: () => [{ reader: READER, state: 'done', report: brought }] as ReturnType<CardTestService['results']>, run: () => cardTests.run(READER) } });
      return lifecycle.handover({ orderId: orders[n]!, reader: READER, idDocument: { type: 'pass', lastFour: '12ab', expiry: '2099-12-31', note: null } }, caller);
    }));
    const issue = await atStations(registers, (db, station, n) => {
      const token = tokens[n]!;
      return issueToken(context(db, station), admin, { personId: people[n]!.id, category: 'kommunal', serial: token.serial, code: generateSync({ strategy: 'hotp', secret: token.secret, counter: 0 }), idDocument: { type: 'pass', lastFour: '1234', expiry: '2099-12-31', note: null }, kindOverrideReason: 'Anställningsformen saknas i testdata' });
    });

    await bulkAudit(first);
    const invoice: number[] = [];
    for (let run = 0; run < 10; run++) {
      const start = performance.now();
      await invoiceMonth(first, MONTH, FULL_SCOPE, new Date('2026-11-23T10:00:00Z'));
      invoice.push(performance.now() - start);
    }
    return { search, handover, issue, invoice, stolen };
  } finally {
    await Promise.all([...new Set(registers)].map((register) => register.close()));
  }
}

const ms = (samples: readonly number[]): string => `p50 ${percentile(samples, 50).toFixed(1)} ms, p95 ${percentile(samples, 95).toFixed(1)} ms`;
const cell = (text: string): string => text.padEnd(44);

export async function benchRegion(): Promise<void> {
  // one real card test at insertion: its report is what a handover checks; the card test itself is timed by the card benchmarks
  const counter = await testedCardInReader1();
  const cluster = startPostgres();
  const folders: string[] = [];
  try {
    const { report, cardTests } = counter;
    const keyDir = mkdtempSync(join(tmpdir(), 'kortstation-bench-region-'));
    folders.push(keyDir);
    const sqlite = await measure(join(keyDir, 'kortstation.sqlite'), keyDir, report, cardTests);
    const postgres = await measure(await freshPostgresDatabase(cluster.url), keyDir, report, cardTests);
    const size = `${PEOPLE.toLocaleString('en')} people, ${AUDIT_ROWS.toLocaleString('en')} audit rows${QUICK ? ' (quick run: a tenth of the sizes)' : ''}`;
    console.log(`region register, SQLite file beside PostgreSQL ${size}, ${STATIONS} stations × ${PER_STATION} calls, each station warmed up by ${WARM_UP_PER_STATION} calls first:`);
    console.log(`  ${cell('')}${cell('SQLite')}PostgreSQL`);
    const line = (label: string, of: (figures: Figures) => string) => console.log(`  ${cell(label)}${cell(of(sqlite))}${of(postgres)}`);
    line('people search as you type', (figures) => ms(figures.search));
    line(`handover, ${STATIONS} stations at once`, (figures) => `${ms(figures.handover.samples)}, ${figures.handover.perSecond.toFixed(0)}/s`);
    line(`token issue, ${STATIONS} stations at once`, (figures) => `${ms(figures.issue.samples)}, ${figures.issue.perSecond.toFixed(0)}/s`);
    line('CPU the host took for others (steal)', (figures) => `${stolenText(figures.stolen)} during the handovers`);
    line(`month invoice basis (${CHARGES.toLocaleString('en')} charges)`, (figures) => ms(figures.invoice));
    const searchP95 = percentile(postgres.search, 95);
    const handoverP95 = percentile(postgres.handover.samples, 95);
    console.log(`  goal on PostgreSQL at ${STATIONS} stations: search p95 ${searchP95.toFixed(1)} ms < ${GOALS.searchP95Ms} ms ${searchP95 < GOALS.searchP95Ms ? 'met' : 'MISSED'}; handover p95 ${handoverP95.toFixed(1)} ms < ${GOALS.handoverP95Ms} ms ${handoverP95 < GOALS.handoverP95Ms ? 'met' : 'MISSED'}`);
  } finally {
    await counter.stop();
    cluster.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  }
}
