// `cli db copy`: a station's SQLite register into the region's PostgreSQL, all or nothing, with people merged, conflicts refused and the audit trail still verifying.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { appendAudit } from '../../src-main/audit/audit';
import { auditRowHash, GENESIS_HASH, type AuditRow } from '../../src-main/audit/hash';
import { auditKeyFromDataKey } from '../../src-main/audit/key';
import type { OpenRegister } from '../../src-main/db/data-layer';
import { DATABASE_FILE } from '../../src-main/db/location';
import { openDatabase } from '../../src-main/db/open';
import { sealStaffSeed } from '../../src-main/staff/otp';
import { keyFileDataKeySource, openSeed, sealSeed } from '../../src-main/tokens/seed-crypto';
import { cliCommand, runCli } from '../support/cli';
import { freshPostgresDatabase } from '../support/postgres';

const NOW = '2026-03-02T09:00:00.000Z';
const opened: OpenRegister[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

const newDataDir = (): string => mkdtempSync(join(tmpdir(), 'kortstation-copy-'));

/** Opens a register under the key of dataDir's key file, as the station (and a station of the same region key) does. */
async function open(location: string, keyDir: string): Promise<OpenRegister> {
  const db = await openDatabase(location, { auditKey: auditKeyFromDataKey(keyFileDataKeySource(keyDir)) });
  opened.push(db);
  return db;
}

interface Someone {
  personnummer: string;
  first: string;
  surname: string;
  email: string;
}

const anna: Someone = { personnummer: '198001011234', first: 'Anna', surname: 'Andersson', email: 'anna@example.se' };
const bo: Someone = { personnummer: '197502022345', first: 'Bo', surname: 'Berg', email: 'bo@example.se' };
const cecilia: Someone = { personnummer: '199003033456', first: 'Cecilia', surname: 'Ceder', email: 'cecilia@example.se' };

async function addPerson(db: OpenRegister, who: Someone): Promise<number> {
  return db.insert(
    `INSERT INTO person (first_name, surname, personnummer, email, employment_type, search_name, search_name_reversed, search_personnummer10, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'region', ?, ?, ?, ?, ?)`,
    [who.first, who.surname, who.personnummer, who.email, `${who.first} ${who.surname}`.toLowerCase(), `${who.surname} ${who.first}`.toLowerCase(), who.personnummer.slice(2), NOW, NOW],
  );
}

async function addUnit(db: OpenRegister): Promise<number> {
  const organisation = await db.insert("INSERT INTO organisation (name, kind) VALUES ('Region Norr', 'region')");
  return db.insert("INSERT INTO unit (organisation_id, name, reference, parent_id) VALUES (?, 'Akuten', 'REF-100', NULL)", [organisation]);
}

const STAFF_SEED = Buffer.from('33'.repeat(20), 'hex');
const SEEDS: Record<string, Buffer> = { 'OTP-0001': Buffer.from('11'.repeat(20), 'hex'), 'OTP-0002': Buffer.from('22'.repeat(20), 'hex') };

async function addToken(db: OpenRegister, dataDir: string, serial: string, holder: number | null): Promise<number> {
  const sealed = sealSeed(keyFileDataKeySource(dataDir)(), serial, SEEDS[serial]!);
  return db.insert(
    `INSERT INTO token (serial, kind, algorithm, digits, period, t0, sealed_seed, category, state, person_id, issued_at, imported_at, state_changed_at)
     VALUES (?, 'totp', 'SHA1', 6, 30, 0, ?, ?, ?, ?, ?, ?, ?)`,
    [serial, sealed, holder === null ? null : 'kommunal', holder === null ? 'in-stock' : 'issued', holder, holder === null ? null : NOW, NOW, NOW],
  );
}

/** A station with people (one with a unit), a card order with its event, an issued and a stocked token, and audit rows naming them. */
async function seedStation(dataDir: string): Promise<void> {
  const db = await open(join(dataDir, DATABASE_FILE), dataDir);
  await db.run("INSERT INTO setting (key, value) VALUES ('station.name', 'Station Sundsvall')");
  const unit = await addUnit(db);
  // a person removed before: the station's ids then differ from the ones an empty region hands out
  await db.run('DELETE FROM person WHERE id = ?', [await addPerson(db, cecilia)]);
  const annaId = await addPerson(db, anna);
  await addPerson(db, bo);
  await db.run('INSERT INTO person_unit (person_id, unit_id) VALUES (?, ?)', [annaId, unit]);
  const order = await db.insert("INSERT INTO card_order (person_id, order_date, order_reference, state, card_number, created_at, updated_at) VALUES (?, '2026-03-01', 'REF-100', 'ready', '9752269000000001', ?, ?)", [annaId, NOW, NOW]);
  await db.run("INSERT INTO card_event (order_id, at, action, station, actor) VALUES (?, ?, 'ready', 'Station Sundsvall', 'kalle')", [order, NOW]);
  const token = await addToken(db, dataDir, 'OTP-0001', annaId);
  await addToken(db, dataDir, 'OTP-0002', null);
  await db.run("INSERT INTO token_event (token_id, at, action, person_id, actor) VALUES (?, ?, 'issued', ?, 'kalle')", [token, NOW, annaId]);
  await db.run("INSERT INTO charge (at, month, kind, amount_ore, person_id, unit_id, reference, token_id) VALUES (?, '2026-03', 'token-purchase', 25000, ?, ?, 'REF-100', ?)", [NOW, annaId, unit, token]);
  // the region's first account takes id 1: the station's account gets another id there, and its OTP seed is bound to the id
  await db.run("DELETE FROM staff_account WHERE id = ?", [await db.insert("INSERT INTO staff_account (username, display_name, role, created_at, updated_at) VALUES ('gone', 'Gone', 'operator', ?, ?)", [NOW, NOW])]);
  const kalle = await db.insert("INSERT INTO staff_account (username, display_name, role, password_hash, created_at, updated_at) VALUES ('kalle', 'Kalle', 'operator', '$argon2id$stub', ?, ?)", [NOW, NOW]);
  await db.run('UPDATE staff_account SET otp_seed = ? WHERE id = ?', [sealStaffSeed(keyFileDataKeySource(dataDir), kalle, STAFF_SEED), kalle]);
  const by = { station: 'Station Sundsvall', actor: 'kalle', outcome: 'ok' as const };
  await appendAudit(db, { ...by, action: 'person.viewed', subjectType: 'person', subjectId: String(annaId) });
  await appendAudit(db, { ...by, action: 'card.ordered', subjectType: 'card', subjectId: String(order), details: { personId: annaId } });
  await appendAudit(db, { ...by, action: 'token.issued', subjectType: 'token', subjectId: 'OTP-0001' });
  await db.close();
  opened.splice(opened.indexOf(db), 1);
}

async function query<T extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

const TABLES = ['organisation', 'unit', 'person', 'person_unit', 'staff_account', 'card_order', 'card_event', 'token', 'token_event', 'charge', 'invoice_month', 'audit_entry', 'setting'];
/** Every table's rows as text: "unchanged" means exactly the same rows, not only the same counts. */
async function snapshot(url: string): Promise<Record<string, string>> {
  const tables: Record<string, string> = {};
  for (const table of TABLES) tables[table] = JSON.stringify(await query(url, `SELECT * FROM ${table} ORDER BY 1, 2`));
  return tables;
}

const copyArgs = (dataDir: string, url: string) => ['db', 'copy', '--from', dataDir, '--to', url, '--json'];

function copyInto(dataDir: string, url: string) {
  const result = runCli(copyArgs(dataDir, url), { timeout: 60_000 });
  return { ...result, report: JSON.parse(result.stdout || 'null') as Record<string, unknown> };
}

function verifyRegion(dataDir: string, url: string) {
  const result = runCli(['audit', 'verify', '--database', url, '--data', dataDir, '--json']);
  return { status: result.status, ...(JSON.parse(result.stdout) as { ok: boolean; rows: number }) };
}

/** The station's own chain recomputed from the copied rows (row k gets id k, from the genesis hash), as anyone with the key can. */
async function stationChainEnd(url: string, dataDir: string): Promise<{ id: number; hash: string }> {
  const key = auditKeyFromDataKey(keyFileDataKeySource(dataDir))();
  const rows = await query<AuditRow>(url, "SELECT * FROM audit_entry WHERE id > (SELECT id FROM audit_entry WHERE action = 'station.copied') ORDER BY id");
  let end = { id: 0, hash: GENESIS_HASH };
  for (const row of rows) end = { id: end.id + 1, hash: auditRowHash(key, { ...row, id: end.id + 1, prev_hash: end.hash }) };
  return end;
}

const stationHeadRecorded = async (url: string) => JSON.parse((await query<{ details: string }>(url, "SELECT details FROM audit_entry WHERE action = 'station.copied'"))[0]!.details).stationHead;

const personWith = (url: string, personnummer: string) => query<{ id: number }>(url, 'SELECT id FROM person WHERE personnummer = $1', [personnummer]).then((rows) => Number(rows[0]!.id));

describe('cli db copy', () => {
  it('copies a station into an empty region with every foreign key translated, and the trail verifies', async () => {
    const station = newDataDir();
    await seedStation(station);
    const region = await freshPostgresDatabase(inject('postgresUrl'));

    const { status, report } = copyInto(station, region);

    expect(report).toEqual({ people: 2, peopleMerged: 0, orders: 1, tokens: 2, auditRows: 3, conflicts: [] });
    expect(status).toBe(0);
    const annaId = await personWith(region, anna.personnummer);
    const [order] = await query<{ person_id: number; card_number: string }>(region, 'SELECT person_id, card_number FROM card_order');
    expect(Number(order!.person_id)).toBe(annaId);
    const [issued] = await query<{ id: string; person_id: number; sealed_seed: Buffer }>(region, "SELECT id, person_id, sealed_seed FROM token WHERE serial = 'OTP-0001'");
    expect(Number(issued!.person_id)).toBe(annaId);
    // the seed opens in the region with the (shared) key: the blob came over as it was
    expect(openSeed(keyFileDataKeySource(station)(), 'OTP-0001', issued!.sealed_seed)).toEqual(SEEDS['OTP-0001']);
    expect(await query(region, 'SELECT unit_id FROM person_unit WHERE person_id = $1', [annaId])).toHaveLength(1);
    const [charge] = await query<{ person_id: string; token_id: string }>(region, 'SELECT person_id, token_id FROM charge');
    expect(charge).toEqual({ person_id: String(annaId), token_id: String(issued!.id) });
    // the staff account's OTP seed, bound to its id, opens under its region id
    const [kalle] = await query<{ id: string; otp_seed: Buffer }>(region, "SELECT id, otp_seed FROM staff_account WHERE username = 'kalle'");
    expect(kalle!.id).toBe('1');
    expect(openSeed(keyFileDataKeySource(station)(), `staff-otp:${kalle!.id}`, kalle!.otp_seed)).toEqual(STAFF_SEED);
    // the station's rows follow one row that names the station and its chain's head
    const trail = await query<{ action: string; station: string }>(region, 'SELECT action, station FROM audit_entry ORDER BY id');
    expect(trail.map((row) => row.action)).toEqual(['station.copied', 'person.viewed', 'card.ordered', 'token.issued']);
    expect(verifyRegion(station, region)).toMatchObject({ status: 0, ok: true, rows: 4, firstBadRow: null });
    const stationFile = await open(join(station, DATABASE_FILE), station);
    const stationLast = await stationFile.one('SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1');
    expect(await stationHeadRecorded(region)).toEqual(stationLast);
    expect(await stationChainEnd(region, station)).toEqual(stationLast);

    // a second run would double the orders: refused, nothing written
    const before = await snapshot(region);
    const again = runCli(copyArgs(station, region));
    expect(again.status).toBe(1);
    expect(JSON.parse(again.stdout).error.code).toBe('already-copied');
    expect(await snapshot(region)).toEqual(before);
  });

  it('merges a person the region has with the same data; a person with other data is a conflict and nothing is written', async () => {
    const station = newDataDir();
    await seedStation(station);
    const region = await freshPostgresDatabase(inject('postgresUrl'));
    // the region's rows come from another station of the same region key, so their ids are not the station's
    const other = await open(region, station);
    await addPerson(other, cecilia);
    const regionAnna = await addPerson(other, anna);
    const regionBo = await addPerson(other, { ...bo, email: 'bo.berg@example.se' });
    // the same token, issued to the same Anna: one token, the region's
    await addToken(other, station, 'OTP-0001', regionAnna);
    await appendAudit(other, { station: 'Station Umeå', actor: 'lisa', action: 'person.viewed', subjectType: 'person', subjectId: String(regionAnna), outcome: 'ok' });
    await other.close();
    opened.splice(opened.indexOf(other), 1);
    const before = await snapshot(region);

    const refused = copyInto(station, region);

    expect(refused.status).toBe(1);
    expect(refused.report.conflicts).toEqual([{ kind: 'person', reason: 'different-data', regionId: regionBo, personnummer: '19750202-****', fields: ['email'] }]);
    expect(refused.stdout).not.toContain(bo.personnummer);
    expect(await snapshot(region)).toEqual(before);

    // once the region and the station agree on Bo, the copy merges both people
    await query(region, 'UPDATE person SET email = $1 WHERE id = $2', [bo.email, regionBo]);
    const { status, report } = copyInto(station, region);
    expect(report).toEqual({ people: 2, peopleMerged: 2, orders: 1, tokens: 2, auditRows: 3, conflicts: [] });
    expect(status).toBe(0);
    expect(await query(region, 'SELECT id FROM person')).toHaveLength(3);
    expect(await query(region, 'SELECT id FROM token')).toHaveLength(2);
    const [order] = await query<{ person_id: number }>(region, 'SELECT person_id FROM card_order');
    expect(Number(order!.person_id)).toBe(regionAnna);
    expect(verifyRegion(station, region)).toMatchObject({ status: 0, ok: true, rows: 1 + 1 + 3, firstBadRow: null });
  });

  it('lists a token of the same serial with another seed and a charge in a month the region has invoiced as conflicts', async () => {
    const station = newDataDir();
    await seedStation(station);
    const region = await freshPostgresDatabase(inject('postgresUrl'));
    const other = await open(region, station);
    const regionToken = await other.insert(
      "INSERT INTO token (serial, kind, algorithm, digits, period, t0, sealed_seed, state, imported_at, state_changed_at) VALUES ('OTP-0002', 'totp', 'SHA1', 6, 30, 0, ?, 'in-stock', ?, ?)",
      [sealSeed(keyFileDataKeySource(station)(), 'OTP-0002', Buffer.from('44'.repeat(20), 'hex')), NOW, NOW],
    );
    await other.run("INSERT INTO invoice_month (month, closed_at, closed_by) VALUES ('2026-03', ?, 'ekonomi')", [NOW]);
    const before = await snapshot(region);

    const { status, report } = copyInto(station, region);

    expect(status).toBe(1);
    expect(report.conflicts).toEqual([
      { kind: 'token', reason: 'different-data', regionId: regionToken, serial: 'OTP-0002', fields: ['seed'] },
      { kind: 'charge', reason: 'month-closed-in-region', month: '2026-03' },
    ]);
    expect(await snapshot(region)).toEqual(before);
  });

  it('refuses a station whose data key is not the region\'s, before writing anything', async () => {
    const station = newDataDir();
    await seedStation(station);
    const region = await freshPostgresDatabase(inject('postgresUrl'));
    const elsewhere = await open(region, newDataDir());
    await appendAudit(elsewhere, { station: 'Station Umeå', actor: 'lisa', action: 'person.viewed', subjectType: 'person', subjectId: '1', outcome: 'ok' });
    const before = await snapshot(region);

    const result = runCli(copyArgs(station, region));

    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).error.code).toBe('data-key-differs');
    expect(JSON.parse(result.stdout).error.message).toContain('keys import');
    expect(await snapshot(region)).toEqual(before);
  });

  it('leaves the region unchanged when the copy fails half-way', async () => {
    const station = newDataDir();
    await seedStation(station);
    const db = await open(join(station, DATABASE_FILE), station);
    // a broken file: an event of an order that is not there, found only after people and tokens were written
    await db.run('PRAGMA foreign_keys = OFF');
    await db.run("INSERT INTO card_event (order_id, at, action, station) VALUES (999, ?, 'ready', 'Station Sundsvall')", [NOW]);
    await db.close();
    opened.splice(opened.indexOf(db), 1);
    const region = await freshPostgresDatabase(inject('postgresUrl'));
    await open(region, station);
    const before = await snapshot(region);

    const result = runCli(copyArgs(station, region));

    expect(result.status).not.toBe(0);
    expect(await snapshot(region)).toEqual(before);
  });

  it('leaves the region unchanged when the copy is killed mid-way, and a later copy completes', async () => {
    const station = newDataDir();
    await seedStation(station);
    const db = await open(join(station, DATABASE_FILE), station);
    await db.transaction(async () => {
      for (let n = 0; n < 3000; n++) await addPerson(db, { personnummer: `1960${String(n).padStart(8, '0')}`, first: `Person${n}`, surname: 'Many', email: `p${n}@example.se` });
    });
    await db.close();
    opened.splice(opened.indexOf(db), 1);
    const region = await freshPostgresDatabase(inject('postgresUrl'));
    await open(region, station);
    const before = await snapshot(region);
    const regionName = new URL(region).pathname.slice(1);

    const [command, args] = cliCommand(copyArgs(station, region));
    const child = spawn(command, args, { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // kill -9 once the copy's transaction is writing people into the region
    for (let waited = 0; ; waited += 20) {
      const writing = await query(region, "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND xact_start IS NOT NULL AND query LIKE 'INSERT INTO person %'", [regionName]);
      if (writing.length > 0) break;
      if (waited > 20_000) throw new Error('the copy never started writing');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    await exited;

    expect(await snapshot(region)).toEqual(before);
    const { status, report } = copyInto(station, region);
    expect(status).toBe(0);
    expect(report.people).toBe(3002);
    expect(verifyRegion(station, region).ok).toBe(true);
  }, 120_000);
});
