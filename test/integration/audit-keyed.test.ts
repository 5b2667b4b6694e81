// The keyed, anchored audit trail against someone who can edit the SQLite file: plain SQL forgeries, anchors, the migration to the keyed chain.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { auditCommand } from '../../src-main/cli/audit';
import type { Db } from '../../src-main/db/data-layer';
import { migrations } from '../../src-main/db/migrations';
import { openDatabase, type OpenRegister } from '../../src-main/db/open';
import { appendAudit, chainHeadValue, type NewAuditEntry } from '../../src-main/audit/audit';
import { verifyAudit } from '../../src-main/audit/verify';
import { parseAnchor } from '../../src-main/audit/anchor';
import { queueDueAnchorMail } from '../../src-main/audit/anchor-mail';
import { auditRowHash, canonicalAuditRow, GENESIS_HASH, type AuditRow } from '../../src-main/audit/hash';
import { auditKeyFromDataKey, ephemeralAuditKey } from '../../src-main/audit/key';
import { DATABASE_FILE } from '../../src-main/station';
import { saveTemplate } from '../../src-main/mail/outbox';
import { keyFileDataKeySource } from '../../src-main/tokens/seed-crypto';
import { writeSetting } from '../../src-main/db/settings';
import { STATION_NAME_SETTING } from '../../src-main/organisation/station-label';
import { csvLine, TEMPLATE_HEADER, testPerson } from '../people-data';
import { runCli } from '../support/cli';
import { sqliteFileEnv } from '../support/register-location';

const opened: OpenRegister[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
});

type StoredRow = AuditRow & { hash: string; chain: string | null };

const entry = (overrides: Partial<NewAuditEntry> = {}): NewAuditEntry => ({ station: 'Akademiska', actor: '7', action: 'pin.changed', subjectType: 'card', subjectId: 'SE2321000016-1234', outcome: 'ok', ...overrides });

/** A station file with six rows, row 3 a person.viewed; closed, so the attacker has the file to themselves. */
async function stationFile(): Promise<{ dataDir: string; path: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-keyed-'));
  const path = join(dataDir, DATABASE_FILE);
  const database = await openDatabase(path);
  // the station's name names its chain, which the CLI's anchor certifies
  await writeSetting(database, STATION_NAME_SETTING, 'Akademiska');
  for (let n = 1; n <= 6; n++) await appendAudit(database, entry(n === 3 ? { action: 'person.viewed', subjectType: 'person', subjectId: '42' } : { subjectId: `card-${n}` }));
  await database.close();
  return { dataDir, path };
}

/** Edits the file with plain SQL, as anyone with the file but not the key can. */
function editFile(path: string, work: (sqlite: BetterSqlite3.Database) => void): void {
  const sqlite = new BetterSqlite3(path);
  sqlite.transaction(() => work(sqlite))();
  sqlite.close();
}

const storedRows = (db: Db): Promise<StoredRow[]> => db.all<StoredRow>('SELECT * FROM audit_entry ORDER BY id');
const rowsOf = (sqlite: BetterSqlite3.Database): StoredRow[] => sqlite.prepare<[], StoredRow>('SELECT * FROM audit_entry ORDER BY id').all();

/** Recomputes every prev_hash, hash and the head the way the chain is computed, with node's crypto and no key. */
function rechainWithoutKey(sqlite: BetterSqlite3.Database): void {
  let previous = GENESIS_HASH;
  let last: StoredRow | undefined;
  for (const row of rowsOf(sqlite)) {
    const rechained: AuditRow = { ...row, prev_hash: previous };
    previous = createHash('sha256').update(canonicalAuditRow(rechained), 'utf8').digest('hex');
    sqlite.prepare('UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE id = ?').run(rechained.prev_hash, previous, row.id);
    last = { ...rechained, chain: row.chain, hash: previous };
  }
  const mac = createHash('sha256').update(JSON.stringify(['audit.chain-head', 'Akademiska', last!.id, previous])).digest('hex');
  sqlite.prepare("UPDATE audit_chain SET head = ? WHERE chain = 'Akademiska'").run(JSON.stringify({ id: last!.id, hash: previous, mac }));
}

const verifyCli = (dataDir: string, ...extra: string[]) => runCli(['audit', 'verify', '--json', '--data', dataDir, ...extra], { env: sqliteFileEnv() });
/** The same command in this process: the child process costs seconds, and the process-level run is covered by verifyCli. */
const audit = (dataDir: string, positionals: string[], values: Record<string, string> = {}) => auditCommand.run({ positionals, values, dataDir, json: true, allowVirtualReaders: false });
const verify = async (dataDir: string, anchor?: string) => {
  const { output, exitCode, text } = await audit(dataDir, ['verify'], anchor ? { anchor } : {});
  return { output, status: exitCode ?? 0, text };
};

describe('a forgery made with plain SQL and without the key', () => {
  it('is found when a person.viewed row is deleted and every hash and the head are recomputed', async () => {
    const { dataDir, path } = await stationFile();
    expect(await verify(dataDir)).toMatchObject({ status: 0, output: { ok: true, rows: 6 } });
    editFile(path, (sqlite) => {
      sqlite.prepare("DELETE FROM audit_entry WHERE action = 'person.viewed'").run();
      // close the gap, so the ids run 1…5 as if the row never was
      sqlite.prepare('UPDATE audit_entry SET id = -(id - 1) WHERE id > 3').run();
      sqlite.prepare('UPDATE audit_entry SET id = -id WHERE id < 0').run();
      rechainWithoutKey(sqlite);
    });
    const cli = verifyCli(dataDir);
    expect(cli.status).toBe(1);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: false, rows: 5, firstBadRow: 1 });
  });

  it('is found when a row is changed and every hash and the head are recomputed', async () => {
    const { dataDir, path } = await stationFile();
    editFile(path, (sqlite) => {
      sqlite.prepare("UPDATE audit_entry SET outcome = 'refused' WHERE id = 5").run();
      rechainWithoutKey(sqlite);
    });
    expect(await verify(dataDir)).toMatchObject({ status: 1, output: { ok: false, rows: 6, firstBadRow: 1 } });
  });

  it('is found when only the last row is cut off and the head moved back to the row before it', async () => {
    const { dataDir, path } = await stationFile();
    editFile(path, (sqlite) => {
      const fifth = sqlite.prepare<[], StoredRow>('SELECT * FROM audit_entry WHERE id = 5').get()!;
      sqlite.prepare('DELETE FROM audit_entry WHERE id = 6').run();
      // the head's MAC needs the key: the attacker's best try is the same message under plain SHA-256
      const mac = createHash('sha256').update(JSON.stringify(['audit.chain-head', 'Akademiska', 5, fifth.hash])).digest('hex');
      sqlite.prepare("UPDATE audit_chain SET head = ? WHERE chain = 'Akademiska'").run(JSON.stringify({ id: 5, hash: fifth.hash, mac }));
    });
    expect(await verify(dataDir)).toMatchObject({ status: 1, output: { ok: false, rows: 5, firstBadRow: 1 } });
  });
});

/** What someone holding the key could do: rewrite history and re-chain it properly. Only an anchor kept elsewhere shows that. */
function rechainWithKey(dataDir: string, sqlite: BetterSqlite3.Database): void {
  const key = auditKeyFromDataKey(keyFileDataKeySource(dataDir))();
  let previous = GENESIS_HASH;
  let last = 0;
  for (const row of rowsOf(sqlite)) {
    const rechained: AuditRow = { ...row, prev_hash: previous };
    previous = auditRowHash(key, rechained);
    sqlite.prepare('UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE id = ?').run(rechained.prev_hash, previous, row.id);
    last = row.id;
  }
  sqlite.prepare("UPDATE audit_chain SET head = ? WHERE chain = 'Akademiska'").run(chainHeadValue(key, 'Akademiska', { id: last, hash: previous }));
}

describe('anchors', () => {
  async function anchored(): Promise<{ dataDir: string; path: string; anchor: string }> {
    const station = await stationFile();
    const anchor = join(station.dataDir, 'anchor.json');
    expect(await audit(station.dataDir, ['anchor', anchor])).toMatchObject({ output: { file: anchor, rowId: 6 } });
    // the station goes on after the anchor: the anchoring itself and later work are appended
    const database = await openDatabase(station.path);
    await appendAudit(database, entry({ subjectId: 'after-the-anchor' }));
    expect(await database.one('SELECT action, actor, details FROM audit_entry WHERE id = 7')).toEqual({ action: 'audit.anchored', actor: expect.stringMatching(/^cli:/), details: '{"rowId":6,"via":"file"}' });
    await database.close();
    return { ...station, anchor };
  }

  it('verify --anchor passes while nothing up to the anchor changed, and exits 1 from the command line once a row before it is gone', async () => {
    const { dataDir, path, anchor } = await anchored();
    const cli = verifyCli(dataDir, '--anchor', anchor);
    expect(cli.status, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, rows: 8, firstBadRow: null, anchor: { rowId: 6, problem: null } });
    expect((await verify(dataDir, anchor)).text).toContain('Nothing up to the anchored entry 6 has changed');
    editFile(path, (sqlite) => sqlite.prepare('DELETE FROM audit_entry WHERE id = 2').run());
    const broken = runCli(['audit', 'verify', '--data', dataDir, '--anchor', anchor], { env: sqliteFileEnv() });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain('The anchor at entry 6 does not hold: the chain breaks at or before the anchored entry');
  });

  const edits: [string, (dataDir: string, sqlite: BetterSqlite3.Database) => void, string][] = [
    ['a row before the anchor deleted', (_dir, sqlite) => sqlite.prepare('DELETE FROM audit_entry WHERE id = 3').run(), 'chain-broken'],
    ['a row before the anchor changed', (_dir, sqlite) => sqlite.prepare("UPDATE audit_entry SET actor = '8' WHERE id = 2").run(), 'chain-broken'],
    [
      'two rows before the anchor swapped',
      (_dir, sqlite) => {
        const [two, four] = [2, 4].map((id) => sqlite.prepare<[number], StoredRow>('SELECT * FROM audit_entry WHERE id = ?').get(id)!);
        sqlite.prepare('DELETE FROM audit_entry WHERE id IN (2, 4)').run();
        const insert = sqlite.prepare('INSERT INTO audit_entry VALUES (@id, @at, @station, @actor, @action, @subject_type, @subject_id, @outcome, @details, @prev_hash, @hash, @chain)');
        insert.run({ ...four!, id: 2 });
        insert.run({ ...two!, id: 4 });
      },
      'chain-broken',
    ],
    [
      'a row before the anchor changed by someone holding the key, who re-chained everything after it',
      (dataDir, sqlite) => {
        sqlite.prepare("UPDATE audit_entry SET outcome = 'refused' WHERE id = 2").run();
        rechainWithKey(dataDir, sqlite);
      },
      'row-changed',
    ],
  ];

  it.each(edits)('verify --anchor exits 1 when %s', async (_name, edit, problem) => {
    const { dataDir, path, anchor } = await anchored();
    editFile(path, (sqlite) => edit(dataDir, sqlite));
    expect(await verify(dataDir, anchor)).toMatchObject({ status: 1, output: { ok: false, anchor: { rowId: 6, problem } } });
  });

  it('verify --anchor exits 1 when the anchor file itself was edited, or comes from another station', async () => {
    const { dataDir, anchor } = await anchored();
    const original = JSON.parse(readFileSync(anchor, 'utf8')) as { rowId: number; hash: string };
    const moved = join(dataDir, 'moved.json');
    writeFileSync(moved, JSON.stringify({ ...original, rowId: 4 }));
    expect(await verify(dataDir, moved)).toMatchObject({ status: 1, output: { ok: false, anchor: { rowId: 4, problem: 'anchor-forged' } } });

    const other = await anchored();
    const foreign = await verify(dataDir, other.anchor);
    expect(foreign).toMatchObject({ status: 1, output: { anchor: { problem: 'anchor-forged' } } });
    expect(foreign.text).toContain("another station's key");

    const notAnAnchor = join(dataDir, 'note.txt');
    writeFileSync(notAnAnchor, 'hej');
    await expect(verify(dataDir, notAnAnchor)).rejects.toMatchObject({ exitCode: 1, message: expect.stringContaining('no audit anchor') });
  });
});

/** A database as 009 left it: rows chained with plain SHA-256 and a head without a MAC. */
async function unkeyedStation(rows: number): Promise<{ dataDir: string; path: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-unkeyed-'));
  const path = join(dataDir, DATABASE_FILE);
  const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '010'));
  await (await openDatabase(path, { migrations: before })).close();
  const old = new BetterSqlite3(path);
  let previous = GENESIS_HASH;
  for (let id = 1; id <= rows; id++) {
    const row: AuditRow = { id, at: new Date(Date.UTC(2025, 2, id)).toISOString(), station: 'Akademiska', actor: '7', action: 'pin.changed', subject_type: 'card', subject_id: `card-${id}`, outcome: 'ok', details: null, prev_hash: previous };
    previous = createHash('sha256').update(canonicalAuditRow(row), 'utf8').digest('hex');
    old.prepare('INSERT INTO audit_entry VALUES (@id, @at, @station, @actor, @action, @subject_type, @subject_id, @outcome, @details, @prev_hash, @hash)').run({ ...row, hash: previous });
  }
  old.prepare("INSERT INTO setting (key, value) VALUES ('audit.head', ?)").run(JSON.stringify({ id: rows, hash: previous }));
  old.close();
  return { dataDir, path };
}

describe('the migration to the keyed chain', () => {
  it('re-chains the existing rows under the key, keeps their content, and records it as an audit row', async () => {
    const { path } = await unkeyedStation(4);
    const database = await openDatabase(path);
    opened.push(database);
    const rows = await storedRows(database);
    expect(rows.map((row) => [row.id, row.subject_id])).toEqual([[1, 'card-1'], [2, 'card-2'], [3, 'card-3'], [4, 'card-4'], [5, null], [6, null]]);
    expect(rows[4]).toMatchObject({ action: 'audit.rechained', actor: null, outcome: 'ok', details: '{"rows":4,"previousChainIntact":true,"previousFirstBadRow":null}' });
    // then split by station (015): Akademiska's four rows, and the migration's own row under this machine's name
    expect(rows[5]).toMatchObject({ action: 'audit.rechained', outcome: 'ok', details: '{"rows":5,"chains":2,"previousChainIntact":true,"previousFirstBadRow":null,"perStation":true}' });
    expect(rows.map((row) => row.chain)).toEqual(['Akademiska', 'Akademiska', 'Akademiska', 'Akademiska', hostname(), hostname()]);
    expect(await verifyAudit(database)).toMatchObject({ ok: true, rows: 6, firstBadRow: null });
  });

  it('records that the unkeyed chain was already broken, rather than laundering the edit', async () => {
    const { path } = await unkeyedStation(4);
    editFile(path, (sqlite) => sqlite.prepare("UPDATE audit_entry SET outcome = 'failed' WHERE id = 2").run());
    const database = await openDatabase(path);
    opened.push(database);
    expect((await storedRows(database))[4]).toMatchObject({ action: 'audit.rechained', outcome: 'failed', details: '{"rows":4,"previousChainIntact":false,"previousFirstBadRow":2}' });
  });

  it('writes no row and needs no key on a station with an empty trail', async () => {
    const { dataDir, path } = await unkeyedStation(0);
    const database = await openDatabase(path);
    opened.push(database);
    expect(await storedRows(database)).toEqual([]);
    expect(() => readFileSync(join(dataDir, 'seed.key'))).toThrow();
  });
});

describe('the daily anchor by e-mail', () => {
  it('queues one anchor per Swedish day to the configured address, and the mailed text verifies the trail', async () => {
    const { dataDir, path } = await stationFile();
    const database = await openDatabase(path);
    opened.push(database);
    expect(await queueDueAnchorMail(database, 'Akademiska', new Date('2026-03-01T09:00:00Z'))).toBeNull();

    await database.close();
    opened.pop();
    expect(await audit(dataDir, ['anchor-mail', 'revisor@region.example.se'])).toMatchObject({ output: { to: 'revisor@region.example.se' } });
    await expect(audit(dataDir, ['anchor-mail', 'not an address'])).rejects.toMatchObject({ exitCode: 64 });
    const again = await openDatabase(path);
    opened.push(again);

    expect(await queueDueAnchorMail(again, 'Akademiska', new Date('2026-03-01T09:00:00Z'))).toBe(7);
    // 23:30 UTC is already the next day in Sweden
    expect(await queueDueAnchorMail(again, 'Akademiska', new Date('2026-03-01T22:30:00Z'))).toBeNull();
    expect(await queueDueAnchorMail(again, 'Akademiska', new Date('2026-03-01T23:30:00Z'))).toBe(8);
    const mails = await again.all<{ to_address: string; template: string; subject: string; body: string }>('SELECT to_address, template, subject, body FROM outbox ORDER BY id');
    expect(mails.map((mail) => [mail.to_address, mail.template, mail.subject])).toEqual([
      ['revisor@region.example.se', 'audit-anchor', 'Granskningsloggens ankare från Akademiska'],
      ['revisor@region.example.se', 'audit-anchor', 'Granskningsloggens ankare från Akademiska'],
    ]);
    expect(await again.column("SELECT details FROM audit_entry WHERE action = 'audit.anchored' ORDER BY id")).toEqual(['{"rowId":7,"via":"mail"}', '{"rowId":8,"via":"mail"}']);

    // the mail saved as a file is the anchor file
    const saved = join(dataDir, 'ankare.eml.txt');
    writeFileSync(saved, mails[0]!.body);
    expect(await verify(dataDir, saved)).toMatchObject({ status: 0, output: { anchor: { rowId: 7, problem: null } } });
    expect(parseAnchor(mails[1]!.body).rowId).toBe(8);
  });

  it('refuses an edited anchor template that leaves out the anchor', async () => {
    const { path } = await stationFile();
    const database = await openDatabase(path);
    opened.push(database);
    const by = { actor: '7', station: 'Akademiska', now: new Date() };
    await expect(saveTemplate(database, { name: 'audit-anchor', subject: 'Ankare', body: 'Loggen hade {{rad}} händelser.' }, by)).rejects.toThrow(expect.objectContaining({ code: 'mail-template-invalid', message: expect.stringContaining('ankare') }));
    expect(await saveTemplate(database, { name: 'audit-anchor', subject: 'Ankare {{station}}', body: '{{ankare}}' }, by)).toMatchObject({ name: 'audit-anchor' });
  });
});

describe('a trail chained under another key', () => {
  it('is refused for writing and named in verify, e.g. the CLI on a kiosk whose key is sealed in its keychain', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-sealed-'));
    const path = join(dataDir, DATABASE_FILE);
    const kiosk = await openDatabase(path, { auditKey: ephemeralAuditKey() });
    await appendAudit(kiosk, entry());
    await kiosk.close();

    const people = join(dataDir, 'personal.csv');
    writeFileSync(people, [TEMPLATE_HEADER, csvLine(testPerson(1))].join('\r\n'));
    const cli = runCli(['people', 'import', people, '--data', dataDir, '--json'], { env: sqliteFileEnv() });
    expect(cli.status).toBe(1);
    expect(JSON.parse(cli.stdout)).toMatchObject({ error: { code: 'audit-key-mismatch' } });
    const verified = await verify(dataDir);
    expect(verified).toMatchObject({ status: 1, output: { ok: false, rows: 1, firstBadRow: 1 } });
    expect(verified.text).toContain('chained under another key');

    const after = new BetterSqlite3(path, { readonly: true });
    expect(after.prepare('SELECT COUNT(*) FROM person').pluck().get()).toBe(0);
    expect(after.prepare('SELECT COUNT(*) FROM audit_entry').pluck().get()).toBe(1);
    after.close();
  });
});
