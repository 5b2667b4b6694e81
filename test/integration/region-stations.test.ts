// Stations in the region: each kiosk joins the region database under its own name, kept in its data folder; cards are collected where they were photographed, and every event names its station.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src-main/audit/verify';
import { auditKeyFromDataKey } from '../../src-main/audit/key';
import { createCardLifecycle, type Caller } from '../../src-main/cards/lifecycle';
import { DATABASE_URL_ENV } from '../../src-main/db/location';
import { openDatabase, type OpenRegister } from '../../src-main/db/open';
import { migrations } from '../../src-main/db/migrations';
import { STATION_IDENTITY_FILE, StationNotJoinedError } from '../../src-main/organisation/station-identity';
import { STATION_NAME_SETTING, stationNameReader } from '../../src-main/organisation/station-label';
import { invoiceMonth } from '../../src-main/reports/invoices';
import { runReport } from '../../src-main/reports/reports';
import { openStation } from '../../src-main/station';
import { deliverTokenOrder, placeTokenOrder } from '../../src-main/tokens/orders';
import { reportLostToken } from '../../src-main/tokens/stock';
import type { TokenServiceContext } from '../../src-main/tokens/store';
import { dataKeyPath } from '../../src-main/tokens/data-key-location';
import { keyFileDataKeySource } from '../../src-main/tokens/seed-crypto';
import { personnummerFor } from '../people-data';
import { SCENARIO_HOLDER, SCENARIO_SERIAL } from '../sim/scenarios';
import { runCli } from '../support/cli';
import { READER_1 } from '../support/pcscd';
import { testedCardInReader1, type TestedCard } from '../support/tested-card';
import { TEST_POSTGRES_ENV, testEngine, testRegisterLocation } from '../support/register-location';

const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `kortstation-${prefix}-`));

const opened: OpenRegister[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((register) => register.close()));
});

interface Kiosk {
  dataDir: string;
  keyDir: string;
  keyFile: string;
}

const kiosk = (): Kiosk => {
  const dataDir = tempDir('region-station');
  const keyDir = tempDir('region-station-keys');
  return { dataDir, keyDir, keyFile: dataKeyPath(dataDir, keyDir) };
};

const cli = (station: Kiosk, args: string[], database?: string) =>
  runCli([...args, '--json', '--data', station.dataDir], { env: { ...process.env, KORTSTATION_KEY_DIR: station.keyDir, ...(database ? { [DATABASE_URL_ENV]: database } : {}) } });
const stationKey = (station: Kiosk) => keyFileDataKeySource(station.dataDir, station.keyFile);

/** The register as the kiosk of that data folder opens it: under its key, as the station its folder joined as. */
async function openAs(station: Kiosk, location: string): Promise<OpenRegister> {
  const { name } = JSON.parse(readFileSync(join(station.dataDir, STATION_IDENTITY_FILE), 'utf8')) as { name: string };
  const register = await openDatabase(location, { auditKey: auditKeyFromDataKey(stationKey(station)), station: name });
  opened.push(register);
  return register;
}

describe.runIf(testEngine === 'postgres')('two stations on one region database', () => {
  const validId = { type: 'pass' as const, lastFour: '12ab', expiry: '2099-12-31', note: null };
  const operator = { id: 1, role: 'org-admin' as const, unitIds: [] };
  const caller: Caller = { actor: '1', scope: { kind: 'all' } };
  let counter: TestedCard | undefined;

  beforeAll(async () => {
    // the counter's finished card test is what a handover reads
    counter = await testedCardInReader1();
  });

  afterAll(async () => {
    await counter?.stop();
  });

  it('join as themselves; a card photographed at A is collected at A only; audit rows, token events and charges name their station; reports filter by station', async () => {
    const [a, b] = [kiosk(), kiosk()];
    const location = testRegisterLocation(a.dataDir);
    // the region's data key, shared as the region administrator does it
    stationKey(a)();
    stationKey(b)();
    const regionKey = join(tempDir('region-admin'), 'region.key');
    expect(cli(a, ['keys', 'create', regionKey]).status).toBe(0);
    for (const station of [a, b]) expect(cli(station, ['keys', 'import', regionKey], location).status).toBe(0);
    const setup = await openDatabase(location, { auditKey: auditKeyFromDataKey(stationKey(a)) });
    opened.push(setup);
    await setup.run("INSERT INTO organisation (name, kind) VALUES ('Region Uppsala', 'region')");
    // a region set up already: only its first kiosk may start nameless, to be named at first run
    await setup.run("INSERT INTO staff_account (username, display_name, role, created_at, updated_at) VALUES ('asa.admin', 'Åsa Admin', 'org-admin', '', '')");

    // no name given: the CLI says what to do rather than guessing one
    const nameless = cli(a, ['station', 'join'], location);
    expect(nameless.status).toBe(64);
    expect(nameless.stdout).toContain('--name');
    const unknownOrganisation = cli(a, ['station', 'join', '--name', 'Akademiska', '--organisation', 'Region Okänd'], location);
    expect(unknownOrganisation.status).toBe(1);
    expect(existsSync(join(a.dataDir, STATION_IDENTITY_FILE))).toBe(false);
    const joinedA = cli(a, ['station', 'join', '--name', 'Akademiska', '--organisation', 'Region Uppsala', '--address', 'Sjukhusvägen 1'], location);
    expect(joinedA.status, joinedA.stdout + joinedA.stderr).toBe(0);
    expect(JSON.parse(joinedA.stdout)).toMatchObject({ name: 'Akademiska', organisation: 'Region Uppsala', registered: true });
    expect(statSync(join(a.dataDir, STATION_IDENTITY_FILE)).mode & 0o777).toBe(0o600);

    // a kiosk that never joined refuses to start on the region database; with KORTSTATION_STATION_NAME it joins by itself
    const kioskOptions = { dataDir: b.dataDir, database: location, host: 'web' as const, trustDirs: [], dataKey: stationKey(b), allowVirtualReaders: true };
    await expect(openStation(kioskOptions)).rejects.toBeInstanceOf(StationNotJoinedError);
    const started = await openStation({ ...kioskOptions, joinAs: { name: 'Enköping', organisation: 'Region Uppsala' } });
    await started.close();
    const stations = await setup.all<{ name: string; organisation: string | null }>('SELECT s.name, o.name AS organisation FROM station s LEFT JOIN organisation o ON o.id = s.organisation_id ORDER BY s.name');
    expect(stations).toEqual([
      { name: 'Akademiska', organisation: 'Region Uppsala' },
      { name: 'Enköping', organisation: 'Region Uppsala' },
    ]);
    // the shared settings name no station: two kiosks could not both be it
    expect(await setup.value('SELECT value FROM setting WHERE key = ?', [STATION_NAME_SETTING])).toBeUndefined();

    const [dbA, dbB] = [await openAs(a, location), await openAs(b, location)];
    const [firstName, surname] = SCENARIO_HOLDER.name.split(' ') as [string, string];
    await dbA.run("INSERT INTO unit (id, organisation_id, name, reference) VALUES (10, (SELECT id FROM organisation WHERE name = 'Region Uppsala'), 'Akuten', 'R100')");
    const personId = await dbA.insert(
      `INSERT INTO person (first_name, surname, personnummer, hsa_id, search_name, search_name_reversed, search_personnummer10, created_at, updated_at)
       VALUES (?, ?, ?, ?, '', '', '', '', '')`,
      [firstName, surname, personnummerFor(12), SCENARIO_HOLDER.hsaId],
    );
    await dbA.run('INSERT INTO person_unit (person_id, unit_id) VALUES (?, 10)', [personId]);

    const [atA, atB] = [createCardLifecycle({ db: dbA, cardTests: counter!.cardTests }), createCardLifecycle({ db: dbB, cardTests: counter!.cardTests })];
    const order = await atA.createOrder({ personId, orderDate: '2026-11-01', orderReference: 'BEST-1' }, caller);
    await atA.photograph(order.id, caller);
    await atB.produce(order.id, SCENARIO_SERIAL, caller);
    // the worklists are the region's: B marks ready a card photographed at A
    await atB.markReady(order.id, caller);

    const seenAtB = await atB.lookup({ cardNumber: SCENARIO_SERIAL }, caller);
    expect(seenAtB).toMatchObject({ photoStation: { name: 'Akademiska' }, photographedHere: false, state: 'ready' });
    expect((await atA.lookup({ cardNumber: SCENARIO_SERIAL }, caller)).photographedHere).toBe(true);
    await expect(atB.handover({ orderId: order.id, reader: READER_1, idDocument: validId }, caller)).rejects.toMatchObject({ code: 'wrong-station' });
    expect(await dbA.value('SELECT state FROM card_order WHERE id = ?', [order.id])).toBe('ready');
    const receipt = await atA.handover({ orderId: order.id, reader: READER_1, idDocument: validId }, caller);
    expect(receipt).toMatchObject({ kind: 'handover', station: 'Akademiska' });

    // a token lost at B and a token order delivered at A: each charge names where it was made, the invoice holds both
    await dbB.kysely
      .insertInto('token')
      .values({ serial: 'T1', kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30, t0: 0, drift: 0, counter: null, last_step: null, sealed_seed: Buffer.from([0]), manufacturer: null, category: null, state: 'in-stock', unit_id: 10, station_id: null, person_id: null, issued_at: null, imported_at: '', state_changed_at: '' })
      .execute();
    const now = new Date('2026-11-10T10:00:00Z');
    const tokens = (db: OpenRegister, station: Kiosk): TokenServiceContext => ({ db, dataKey: stationKey(station), station: stationNameReader(db), now: () => now });
    await reportLostToken(tokens(dbB, b), operator, { serial: 'T1', chargeTo: 'unit' });
    const placed = await placeTokenOrder(tokens(dbA, a), operator, { unitId: 10, quantity: 2, priceOre: 25_000 });
    await deliverTokenOrder(tokens(dbA, a), operator, placed.id);
    expect(await dbA.all('SELECT kind, station FROM charge ORDER BY id')).toEqual([
      { kind: 'lost-token', station: 'Enköping' },
      { kind: 'token-purchase', station: 'Akademiska' },
    ]);
    expect(await dbA.column('SELECT DISTINCT station FROM token_event')).toEqual(['Enköping']);
    const invoice = await invoiceMonth(dbB, '2026-11', { kind: 'all' }, now);
    expect(invoice.bases.flatMap((basis) => basis.lines.map((line) => [basis.reference, line.kind, line.station]))).toEqual([
      ['R100', 'lost-token', 'Enköping'],
      ['R100', 'token-purchase', 'Akademiska'],
    ]);

    // every audit row names the station that wrote it
    const trail = await dbA.all<{ station: string; action: string; outcome: string }>('SELECT station, action, outcome FROM audit_entry ORDER BY id');
    expect(trail.filter((row) => row.action.startsWith('card.') || row.action.startsWith('station.') || row.action === 'token.lost')).toEqual([
      { station: 'Akademiska', action: 'station.joined', outcome: 'ok' },
      { station: 'Enköping', action: 'station.joined', outcome: 'ok' },
      { station: 'Akademiska', action: 'card.ordered', outcome: 'ok' },
      { station: 'Akademiska', action: 'card.photograph', outcome: 'ok' },
      { station: 'Enköping', action: 'card.produce', outcome: 'ok' },
      { station: 'Enköping', action: 'card.mark-ready', outcome: 'ok' },
      { station: 'Enköping', action: 'card.hand-over', outcome: 'refused' },
      { station: 'Akademiska', action: 'card.hand-over', outcome: 'ok' },
      { station: 'Enköping', action: 'token.lost', outcome: 'ok' },
    ]);
    expect(new Set(trail.map((row) => row.station))).toEqual(new Set(['Akademiska', 'Enköping']));
    expect(await verifyAudit(dbB)).toMatchObject({ ok: true, firstBadRow: null });

    // a report filtered by station
    const stationId = async (name: string) => (await dbA.value<number>('SELECT id FROM station WHERE name = ?', [name]))!;
    const handovers = async (filters: object) => (await runReport(dbB, { report: 'handovers', filters, limit: 50, offset: 0 }, { kind: 'all' }, now)).rows.map((row) => [row.cardNumber, row.station]);
    expect(await handovers({})).toEqual([[SCENARIO_SERIAL, 'Akademiska']]);
    expect(await handovers({ stationId: await stationId('Akademiska') })).toEqual([[SCENARIO_SERIAL, 'Akademiska']]);
    expect(await handovers({ stationId: await stationId('Enköping') })).toEqual([]);
  });
});

describe.runIf(testEngine === 'sqlite')('the embedded SQLite file stays one station', () => {
  it('refuses station join without a region database and keeps the station named at first run', () => {
    const station = kiosk();
    const refused = cli(station, ['station', 'join', '--name', 'Akademiska']);
    expect(refused.status).toBe(64);
    expect(refused.stdout).toContain('regiondatabasen');
    expect(existsSync(join(station.dataDir, STATION_IDENTITY_FILE))).toBe(false);
  });

  it('stamps the token events and charges written before migration 011 with the station that wrote them, closed months too', async () => {
    const dataDir = tempDir('region-station-011');
    const path = join(dataDir, 'kortstation.sqlite');
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '011'));
    const old = await openDatabase(path, { migrations: before });
    await old.run('INSERT INTO setting (key, value) VALUES (?, ?)', [STATION_NAME_SETTING, 'Akademiska']);
    await old.run("INSERT INTO token (id, serial, kind, algorithm, digits, sealed_seed, state, imported_at, state_changed_at) VALUES (1, 'T1', 'totp', 'SHA1', 6, ?, 'lost', '', '')", [Buffer.from([0])]);
    await old.run("INSERT INTO token_event (token_id, at, action) VALUES (1, '2026-10-05T10:00:00Z', 'lost')");
    await old.run("INSERT INTO charge (at, month, kind, amount_ore, token_id) VALUES ('2026-10-05T10:00:00Z', '2026-10', 'lost-token', 20000, 1)");
    await old.run("INSERT INTO invoice_month (month, closed_at, closed_by) VALUES ('2026-10', '2026-11-01T08:00:00Z', '1')");
    await old.close();

    const upgraded = await openDatabase(path);
    opened.push(upgraded);
    expect(await upgraded.value('SELECT station FROM token_event')).toBe('Akademiska');
    expect(await upgraded.value('SELECT station FROM charge')).toBe('Akademiska');
    // the closed month is frozen again afterwards
    await expect(upgraded.run('UPDATE charge SET amount_ore = 1')).rejects.toThrow(/invoice month closed/);
  });
});

describe.runIf(testEngine === 'postgres')('the region roles of the README', () => {
  it('a migration role owns the schema; a station role reads and writes the rows, appends to the trail, and can change no table', async () => {
    const admin = process.env[TEST_POSTGRES_ENV]!;
    const suffix = randomBytes(4).toString('hex');
    const [owner, station] = [`kortstation_owner_${suffix}`, `kortstation_station_${suffix}`];
    const database = `kortstation_roles_${suffix}`;
    const asRole = (role: string, name = database): string => {
      const url = new URL(admin);
      url.username = role;
      url.pathname = `/${name}`;
      return url.toString();
    };
    // one -c per statement: psql runs a multi-statement -c as one transaction, which CREATE DATABASE refuses
    const psql = (url: string, statements: string) => {
      const commands = statements.split(';').map((statement) => statement.trim()).filter(Boolean).flatMap((statement) => ['-c', statement]);
      const result = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', ...commands], { encoding: 'utf8' });
      return { status: result.status, stderr: result.stderr };
    };
    // the README's set-up, statement for statement
    expect(psql(admin, `CREATE ROLE ${owner} LOGIN; CREATE ROLE ${station} LOGIN; CREATE DATABASE ${database} OWNER ${owner};`).stderr).toBe('');
    expect(psql(asRole(owner), `REVOKE ALL ON SCHEMA public FROM PUBLIC; GRANT USAGE ON SCHEMA public TO ${station};
      ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${station};
      ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT USAGE ON SEQUENCES TO ${station};`).stderr).toBe('');
    const dataDir = tempDir('region-roles');
    const migrated = runCli(['db', 'migrate', '--data', dataDir, '--database', asRole(owner), '--json']);
    expect(migrated.status, migrated.stdout + migrated.stderr).toBe(0);
    expect(psql(asRole(owner), `REVOKE INSERT, UPDATE, DELETE ON kysely_migration, kysely_migration_lock FROM ${station}; REVOKE UPDATE, DELETE ON audit_entry FROM ${station};`).stderr).toBe('');

    const joined = runCli(['station', 'join', '--name', 'Akademiska', '--data', dataDir, '--database', asRole(station), '--json']);
    expect(joined.status, joined.stdout + joined.stderr).toBe(0);
    const register = await openDatabase(asRole(station), { auditKey: auditKeyFromDataKey(keyFileDataKeySource(dataDir)), station: 'Akademiska' });
    opened.push(register);
    expect(await register.value("SELECT station FROM audit_entry WHERE action = 'station.joined'")).toBe('Akademiska');
    // no DDL, no rewriting of the trail, no forged migration history
    await expect(register.run('CREATE TABLE forged (id integer)')).rejects.toThrow(/permission denied/);
    await expect(register.run('ALTER TABLE person ADD COLUMN forged text')).rejects.toThrow(/must be owner/);
    await expect(register.run("UPDATE audit_entry SET station = 'forged'")).rejects.toThrow(/permission denied/);
    await expect(register.run("INSERT INTO kysely_migration (name, timestamp) VALUES ('999-forged', '')")).rejects.toThrow(/permission denied/);
  });
});
