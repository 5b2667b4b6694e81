// Migration 012 on both engines: the block requests kept so far stay, as requested and unconfirmed; a request may then name a card not registered here, but must name a card or an HSA-ID.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../src-main/db/migrations';
import { FULL_SCOPE } from '../../src-main/organisation/organisation';
import { createPerson } from '../../src-main/people/people';
import { personnummerFor } from '../people-data';
import { openTestRegister } from '../support/register';
import { TEST_POSTGRES_ENV, testEngine } from '../support/register-location';

const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '012'));

/** A data folder whose register is empty: on PostgreSQL a database of its own, not a copy of the run's fully migrated template. */
function emptyRegister(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-012-'));
  if (testEngine === 'sqlite') return dataDir;
  const admin = new URL(process.env[TEST_POSTGRES_ENV]!);
  const name = `kortstation_012_${randomBytes(6).toString('hex')}`;
  const created = spawnSync('psql', [admin.toString(), '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`CREATE DATABASE failed: ${created.stderr}`);
  admin.pathname = `/${name}`;
  writeFileSync(join(dataDir, 'test-region-database-url'), admin.toString(), { mode: 0o600 });
  return dataDir;
}

describe('migration 012: block request states', () => {
  it('keeps the earlier requests as requested, and then takes a request for a card not registered here', async () => {
    const dataDir = emptyRegister();
    const old = await openTestRegister(dataDir, { migrations: before });
    try {
      const person = await createPerson(old, FULL_SCOPE, {
        firstName: 'Anna', surname: 'Ek', personnummer: personnummerFor(21), hsaId: null, username: null, email: null, mobile: null, employmentType: 'region', employmentEnd: null, unitIds: [],
      });
      const orderId = await old.insert("INSERT INTO card_order (person_id, order_date, order_reference, state, card_number, created_at, updated_at) VALUES (?, '2026-01-02', 'B-1', 'blocked', 'C0FFEE01', '2026-01-02', '2026-01-02')", [person.id]);
      await old.run("INSERT INTO block_request (order_id, card_number, reason, reported_by, note, at, station, staff, keep_until) VALUES (?, 'C0FFEE01', 'lost', 'Anna', NULL, '2026-01-03T10:00:00Z', 'Akademiska', '5', '2036-01-03')", [orderId]);
    } finally {
      await old.close();
    }

    const db = await openTestRegister(dataDir);
    try {
      expect(await db.all('SELECT card_number, state, confirmed_at, portal_reference, closed_at FROM block_request')).toEqual([
        { card_number: 'C0FFEE01', state: 'requested', confirmed_at: null, portal_reference: null, closed_at: null },
      ]);
      await db.run("INSERT INTO block_request (order_id, card_number, hsa_id, reason, reported_by, note, at, station, staff, keep_until, state) VALUES (NULL, NULL, 'SE2321000016-abc1', 'stolen', 'Chef', NULL, '2026-02-01T10:00:00Z', 'Akademiska', '5', '2036-02-01', 'requested')");
      await expect(db.run("INSERT INTO block_request (order_id, card_number, hsa_id, reason, reported_by, note, at, station, staff, keep_until, state) VALUES (NULL, NULL, NULL, 'lost', 'Chef', NULL, '2026-02-01T10:00:00Z', 'Akademiska', '5', '2036-02-01', 'requested')")).rejects.toThrow();
      await expect(db.run("UPDATE block_request SET state = 'spärrad'")).rejects.toThrow();
      expect(await db.value('SELECT count(*) FROM block_request')).toBe(2);
    } finally {
      await db.close();
    }
  });
});
