import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditCommand } from '../../src-main/cli/audit';
import type { Db, OpenRegister } from '../../src-main/db/data-layer';
import { ephemeralAuditKey } from '../../src-main/audit/key';
import { canonicalAuditRow, type AuditRow } from '../../src-main/audit/hash';
import { appendAudit, AuditInputError, type AuditDetails, type NewAuditEntry } from '../../src-main/audit/audit';
import { exportAuditCsv, queryAudit } from '../../src-main/audit/read';
import { verifyAudit } from '../../src-main/audit/verify';
import { runCli } from '../support/cli';
import { openTestRegister } from '../support/register';
import { testEngine, testRegisterLocation } from '../support/register-location';

const opened: OpenRegister[] = [];

async function freshStation(): Promise<{ dataDir: string; database: OpenRegister }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-audit-'));
  const database = await openTestRegister(dataDir);
  opened.push(database);
  return { dataDir, database };
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
});

const entry = (overrides: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  station: 'Akademiska',
  actor: 'anna.svensson',
  action: 'pin.changed',
  subjectType: 'card',
  subjectId: 'SE2321000016-1234',
  outcome: 'ok',
  details: { reader: 'Virtual PCD 00 00' },
  ...overrides,
});

/** Five rows, ids 1–5, and a second connection without the key that edits the register behind the station's back. */
async function stationWithFiveRows() {
  const station = await freshStation();
  for (let n = 1; n <= 5; n++) await appendAudit(station.database, entry({ subjectId: `card-${n}`, outcome: n === 3 ? 'failed' : 'ok' }));
  const tamper = async (work: (intruder: Db) => Promise<unknown>): Promise<void> => {
    const intruder = await openTestRegister(station.dataDir, { auditKey: ephemeralAuditKey() });
    try {
      await work(intruder);
    } finally {
      await intruder.close();
    }
  };
  return { ...station, tamper };
}

type StoredRow = AuditRow & { hash: string; chain: string | null };
/** What someone editing the register can compute: the chain rule without the key, which is not in the database. */
const keylessHash = (row: AuditRow): string => createHash('sha256').update(canonicalAuditRow(row), 'utf8').digest('hex');
const readRow = async (db: Db, id: number) => (await db.one<StoredRow>('SELECT * FROM audit_entry WHERE id = ?', [id]))!;
const insertRow = (db: Db, row: StoredRow) =>
  db.run('INSERT INTO audit_entry (id, at, station, actor, action, subject_type, subject_id, outcome, details, prev_hash, hash, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    row.id, row.at, row.station, row.actor, row.action, row.subject_type, row.subject_id, row.outcome, row.details, row.prev_hash, row.hash, row.chain,
  ]);
const auditCount = (db: Db) => db.value<number>('SELECT COUNT(*) AS n FROM audit_entry');

describe('appending to the audit trail', () => {
  it('chains rows from genesis, commits with the change it records, and rolls back with it', async () => {
    const { database: db } = await freshStation();
    expect(await verifyAudit(db)).toMatchObject({ ok: true, rows: 0, firstBadRow: null });

    const changeAndRecord = (value: string, fail: boolean) =>
      db.transaction(async () => {
        await db.run("INSERT INTO setting (key, value) VALUES ('station.name', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [value]);
        await appendAudit(db, entry({ action: 'station.renamed', subjectType: null, subjectId: null, details: { name: value } }));
        if (fail) throw new Error('the card was removed');
      });
    await changeAndRecord('Akademiska', false);
    await expect(changeAndRecord('Uppsala', true)).rejects.toThrow('the card was removed');

    expect(await db.value("SELECT value FROM setting WHERE key = 'station.name'")).toBe('Akademiska');
    expect(await auditCount(db)).toBe(1);

    const second = await appendAudit(db, entry());
    // SQLite hands the rolled-back id out again; PostgreSQL's sequence skips it, so the chain, not the ids, is what links rows
    expect(second.id).toBe(testEngine === 'postgres' ? 3 : 2);
    const [first, next] = await db.all<StoredRow>('SELECT * FROM audit_entry ORDER BY id');
    if (!first || !next) throw new Error('two rows expected');
    expect(first.prev_hash).toBe('0'.repeat(64));
    expect(next.prev_hash).toBe(first.hash);
    expect(next.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(next.hash).not.toBe(keylessHash(next));
    expect(JSON.parse((await db.value<string>('SELECT head FROM audit_chain WHERE chain = ?', ['Akademiska']))!)).toMatchObject({ id: second.id, hash: next.hash });
    expect(await verifyAudit(db)).toMatchObject({ ok: true, rows: 2, firstBadRow: null });
  });

  it('refuses details that name a secret, at any depth, and writes nothing', async () => {
    const { database } = await freshStation();
    const secrets: AuditDetails[] = [{ pin: '123456' }, { newPin: '123456' }, { PINCode: '1234' }, { puk: '12345678' }, { otp_code: '123456' }, { card: { seedHex: 'ab' } }, { attempts: [{ password: 'x' }] }, { activationCode: '42' }];
    for (const details of secrets) {
      await expect(appendAudit(database, entry({ details })), JSON.stringify(details)).rejects.toThrow(AuditInputError);
    }
    await expect(appendAudit(database, entry({ action: 'changed' }))).rejects.toThrow(AuditInputError);
    await expect(appendAudit(database, entry({ subjectType: 'card', subjectId: null }))).rejects.toThrow(AuditInputError);
    expect(await auditCount(database)).toBe(0);

    const kept = await appendAudit(database, entry({ actor: null, action: 'card.tested', details: { reader: 'Virtual PCD 00 01', cardSerial: '0042', spinning: true, triesLeft: 3 } }));
    expect(kept.details).toEqual({ reader: 'Virtual PCD 00 01', cardSerial: '0042', spinning: true, triesLeft: 3 });
  });
});

describe('verifying the audit trail after someone edited the file', () => {
  it('holds when nobody did', async () => {
    const { database } = await stationWithFiveRows();
    expect(await verifyAudit(database)).toMatchObject({ ok: true, rows: 5, firstBadRow: null });
  });

  const tamperings: [string, (db: Db) => Promise<unknown>, number, number][] = [
    ['a changed field', (db) => db.run("UPDATE audit_entry SET outcome = 'ok' WHERE id = 3"), 3, 5],
    ['a removed middle row', (db) => db.run('DELETE FROM audit_entry WHERE id = 3'), 3, 4],
    ['a removed last row', (db) => db.run('DELETE FROM audit_entry WHERE id = 5'), 5, 4],
    ['every row removed', (db) => db.run('DELETE FROM audit_entry'), 1, 0],
    ['the head removed', (db) => db.run('DELETE FROM audit_chain'), 1, 5],
    [
      "two rows' contents swapped",
      async (db) => {
        const [two, four] = [await readRow(db, 2), await readRow(db, 4)];
        await db.run('DELETE FROM audit_entry WHERE id IN (2, 4)');
        await insertRow(db, { ...four, id: 2 });
        await insertRow(db, { ...two, id: 4 });
      },
      2,
      5,
    ],
    [
      'a row inserted in the middle, its hash forged to follow row 2',
      async (db) => {
        await db.run('UPDATE audit_entry SET id = -id WHERE id >= 3');
        await db.run('UPDATE audit_entry SET id = 1 - id WHERE id < 0');
        const two = await readRow(db, 2);
        const forged: AuditRow = { ...two, id: 3, action: 'person.viewed', prev_hash: two.hash };
        await insertRow(db, { ...forged, chain: two.chain, hash: keylessHash(forged) });
      },
      3,
      6,
    ],
    [
      'the last row rewritten with a fresh hash',
      async (db) => {
        const rewritten: AuditRow = { ...(await readRow(db, 5)), outcome: 'refused' };
        await db.run('UPDATE audit_entry SET outcome = ?, hash = ? WHERE id = 5', ['refused', keylessHash(rewritten)]);
      },
      5,
      5,
    ],
    [
      'a row appended with a valid hash but without moving the head',
      async (db) => {
        const five = await readRow(db, 5);
        const appended: AuditRow = { ...five, id: 6, prev_hash: five.hash };
        await insertRow(db, { ...appended, chain: five.chain, hash: keylessHash(appended) });
      },
      6,
      6,
    ],
  ];

  it.each(tamperings)('finds %s', async (_name, tamper, firstBadRow, rows) => {
    const station = await stationWithFiveRows();
    await station.tamper(tamper);
    expect(await verifyAudit(station.database)).toMatchObject({ ok: false, rows, firstBadRow });
  });

  it('keeps appending after the head was removed, and records that it was lost in the trail', async () => {
    const station = await stationWithFiveRows();
    await station.tamper((db) => db.run('DELETE FROM audit_chain'));
    expect((await appendAudit(station.database, entry())).id).toBe(7);
    expect(await readRow(station.database, 6)).toMatchObject({ action: 'audit.head-lost', outcome: 'failed', details: '{"lastId":5,"head":"missing"}' });
    expect(await verifyAudit(station.database)).toMatchObject({ ok: true, rows: 7, firstBadRow: null });
  });

  it('still finds a removed last row after the station appended again', async () => {
    const station = await stationWithFiveRows();
    await station.tamper((db) => db.run('DELETE FROM audit_entry WHERE id = 5'));
    expect((await appendAudit(station.database, entry())).id).toBe(6);
    expect(await verifyAudit(station.database)).toMatchObject({ ok: false, rows: 5, firstBadRow: 5 });
  });
});

describe('one chain per station', () => {
  /** Akademiska and Enköping take turns: ids 1, 3, 5 are Akademiska's, 2, 4, 6 Enköping's. */
  async function twoStations() {
    const station = await stationWithFiveRows();
    await station.tamper((db) => db.run('DELETE FROM audit_entry'));
    await station.tamper((db) => db.run('DELETE FROM audit_chain'));
    for (let n = 1; n <= 6; n++) await appendAudit(station.database, entry({ station: n % 2 === 1 ? 'Akademiska' : 'Enköping', subjectId: `card-${n}` }));
    return station;
  }

  it("links each station's rows to that station's previous row, and verifies each chain", async () => {
    const station = await twoStations();
    const rows = await station.database.all<StoredRow>('SELECT * FROM audit_entry WHERE id > 5 ORDER BY id');
    const [a1, e1, a2, e2] = rows;
    expect(rows.map((row) => row.chain)).toEqual(['Akademiska', 'Enköping', 'Akademiska', 'Enköping', 'Akademiska', 'Enköping']);
    expect([a1!.prev_hash, e1!.prev_hash]).toEqual(['0'.repeat(64), '0'.repeat(64)]);
    expect([a2!.prev_hash, e2!.prev_hash]).toEqual([a1!.hash, e1!.hash]);
    expect(await verifyAudit(station.database)).toEqual({
      ok: true,
      rows: 6,
      firstBadRow: null,
      chains: [
        { chain: 'Akademiska', rows: 3, firstBadRow: null },
        { chain: 'Enköping', rows: 3, firstBadRow: null },
      ],
    });
  });

  it("finds a row removed from one station's chain and leaves the other station's chain whole", async () => {
    const station = await twoStations();
    const [, , , enkopingSecond] = await station.database.column<number>('SELECT id FROM audit_entry ORDER BY id');
    await station.tamper((db) => db.run('DELETE FROM audit_entry WHERE id = ?', [enkopingSecond]));
    const result = await verifyAudit(station.database);
    expect(result.ok).toBe(false);
    // Enköping's rows before it end at the id two below it; the first id that may be gone is the next one
    expect(result.chains).toEqual([
      { chain: 'Akademiska', rows: 3, firstBadRow: null },
      { chain: 'Enköping', rows: 2, firstBadRow: enkopingSecond! - 1 },
    ]);
  });

  it("finds a row moved into another station's chain", async () => {
    const station = await twoStations();
    const [first] = await station.database.column<number>('SELECT id FROM audit_entry ORDER BY id');
    await station.tamper((db) => db.run("UPDATE audit_entry SET chain = 'Enköping' WHERE id = ?", [first]));
    const result = await verifyAudit(station.database);
    expect(result.ok).toBe(false);
    expect(result.chains.every((chain) => chain.firstBadRow !== null)).toBe(true);
  });

  it("refuses one station's head standing in for another's", async () => {
    const station = await twoStations();
    await station.tamper(async (db) => {
      const akademiska = await db.value<string>("SELECT head FROM audit_chain WHERE chain = 'Akademiska'");
      await db.run("UPDATE audit_chain SET head = ? WHERE chain = 'Enköping'", [akademiska]);
    });
    const result = await verifyAudit(station.database);
    expect(result.chains.find((chain) => chain.chain === 'Enköping')?.firstBadRow).not.toBeNull();
    expect(result.chains.find((chain) => chain.chain === 'Akademiska')?.firstBadRow).toBeNull();
  });
});

describe('reading the audit trail', () => {
  async function stationWithHistory() {
    const station = await freshStation();
    const db = station.database;
    await appendAudit(db, entry({ at: new Date('2025-02-28T23:59:59.999Z'), action: 'pin.changed', subjectId: 'card-a' }));
    await appendAudit(db, entry({ at: new Date('2025-03-01T08:00:00.000Z'), action: 'pin.unblocked', subjectId: 'card-a', outcome: 'refused' }));
    await appendAudit(db, entry({ at: new Date('2025-03-15T12:00:00.000Z'), action: 'pinpad.tested', actor: null, subjectType: 'reader', subjectId: 'Virtual PCD 00 00' }));
    await appendAudit(db, entry({ at: new Date('2025-03-31T23:59:59.999Z'), action: 'person.viewed', actor: '=HYPERLINK("http://x")', subjectType: 'person', subjectId: '191212121212', details: { note: 'a;b "c"' } }));
    await appendAudit(db, entry({ at: new Date('2025-04-01T00:00:00.000Z'), action: 'crl.imported', subjectType: 'crl', subjectId: 'CN=SITHS e-id', details: null }));
    return station;
  }

  it('pages newest first with the total, and filters by time, action family, actor and subject', async () => {
    const { database } = await stationWithHistory();
    const ids = async (request: Parameters<typeof queryAudit>[1]) => {
      const page = await queryAudit(database.kysely, request);
      return { ids: page.entries.map((e) => e.id), total: page.total };
    };
    expect(await ids({ limit: 2 })).toEqual({ ids: [5, 4], total: 5 });
    expect(await ids({ limit: 2, offset: 2 })).toEqual({ ids: [3, 2], total: 5 });
    expect(await ids({ limit: 10, from: '2025-03-01', to: '2025-04-01' })).toEqual({ ids: [4, 3, 2], total: 3 });
    expect(await ids({ limit: 10, action: 'pin' })).toEqual({ ids: [2, 1], total: 2 });
    expect(await ids({ limit: 10, action: 'pin.unblocked' })).toEqual({ ids: [2], total: 1 });
    expect(await ids({ limit: 10, actor: 'anna.svensson', outcome: 'ok' })).toEqual({ ids: [5, 1], total: 2 });
    expect(await ids({ limit: 10, subjectType: 'card', subjectId: 'card-a' })).toEqual({ ids: [2, 1], total: 2 });
    await expect(queryAudit(database.kysely, { limit: 1, from: 'last tuesday' })).rejects.toThrow(AuditInputError);

    const [viewed] = (await queryAudit(database.kysely, { limit: 1, subjectType: 'person' })).entries;
    expect(viewed).toMatchObject({ id: 4, action: 'person.viewed', subjectId: '191212121212', details: { note: 'a;b "c"' }, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('exports CSV for Swedish Excel: BOM, semicolons, CRLF, quoted cells and no live formulas', async () => {
    const { database } = await stationWithHistory();
    const { csv, rows } = await exportAuditCsv(database.kysely, { from: '2025-03-15' });
    expect(rows).toBe(3);
    expect(csv.startsWith('\uFEFFid;tid (UTC);station;personal;händelse;')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
    expect(lines[1]).toMatch(/^3;2025-03-15T12:00:00\.000Z;Akademiska;;pinpad\.tested;reader;Virtual PCD 00 00;ok;/);
    expect(lines[2]).toContain(`;"'=HYPERLINK(""http://x"")";person.viewed;person;191212121212;ok;"{""note"":""a;b \\""c\\""""}";`);
    expect(lines[3]).toMatch(/^5;2025-04-01T00:00:00\.000Z;Akademiska;anna\.svensson;crl\.imported;crl;CN=SITHS e-id;ok;;[0-9a-f]{64};[0-9a-f]{64}$/);
  });
});

describe('cli audit', () => {
  const run = (dataDir: string, positionals: string[], values: Record<string, string> = {}) =>
    auditCommand.run({ positionals, values, dataDir, database: testEngine === 'postgres' ? testRegisterLocation(dataDir) : undefined, json: true, allowVirtualReaders: false });

  it('verify prints ok, rows and firstBadRow and exits 1 once the file was changed', async () => {
    const station = await stationWithFiveRows();
    expect(await run(station.dataDir, ['verify'])).toMatchObject({ output: { ok: true, rows: 5, firstBadRow: null }, exitCode: 0 });
    await station.tamper((db) => db.run("UPDATE audit_entry SET actor = 'someone.else' WHERE id = 2"));
    const broken = await run(station.dataDir, ['verify']);
    expect(broken).toMatchObject({ output: { ok: false, rows: 5, firstBadRow: 2 }, exitCode: 1 });
    expect(broken.text).toContain('entry 2');
  });

  it('export writes the filtered CSV to FILE and refuses a date it cannot read', async () => {
    const station = await stationWithFiveRows();
    const file = join(station.dataDir, 'audit.csv');
    expect((await run(station.dataDir, ['export', file], { action: 'pin' })).output).toEqual({ file, rows: 5 });
    expect(readFileSync(file, 'utf8').split('\r\n')).toHaveLength(7);
    await expect(run(station.dataDir, ['export', file], { from: 'yesterday' })).rejects.toMatchObject({ code: 'usage', exitCode: 64 });
    await expect(run(station.dataDir, ['audit'])).rejects.toMatchObject({ code: 'usage', exitCode: 64 });
  });

  it('runs as `cli audit verify --json` with exit code 1 on a broken chain', async () => {
    const station = await stationWithFiveRows();
    await station.tamper((db) => db.run('DELETE FROM audit_entry WHERE id = 3'));
    const cli = runCli(['audit', 'verify', '--json', '--data', station.dataDir]);
    expect(cli.status).toBe(1);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: false, rows: 4, firstBadRow: 3 });
  });
});
