// Migration 016 on both engines: passwords an administrator typed before it (all but the first run's own) must be changed by their owners at the next login.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../src-main/db/migrations';
import { openTestRegister } from '../support/register';
import { TEST_POSTGRES_ENV, testEngine } from '../support/register-location';

const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '016'));

/** A data folder whose register is empty: on PostgreSQL a database of its own, not a copy of the run's fully migrated template. */
function emptyRegister(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-016-'));
  if (testEngine === 'sqlite') return dataDir;
  const admin = new URL(process.env[TEST_POSTGRES_ENV]!);
  const name = `kortstation_016_${randomBytes(6).toString('hex')}`;
  const created = spawnSync('psql', [admin.toString(), '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`CREATE DATABASE failed: ${created.stderr}`);
  admin.pathname = `/${name}`;
  writeFileSync(join(dataDir, 'test-region-database-url'), admin.toString(), { mode: 0o600 });
  return dataDir;
}

describe('migration 016: staff accounts the owner keeps', () => {
  it('asks every password an administrator typed to be changed, not the first run\'s own nor a card-only account', async () => {
    const dataDir = emptyRegister();
    const old = await openTestRegister(dataDir, { migrations: before });
    const at = '2026-01-02T10:00:00Z';
    try {
      for (const [username, hash] of [['forsta.admin', '$argon2id$first'], ['olle', '$argon2id$typed-by-admin'], ['kort.anna', null]] as const) {
        await old.run('INSERT INTO staff_account (username, display_name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [username, username, 'operator', hash, at, at]);
      }
    } finally {
      await old.close();
    }

    const db = await openTestRegister(dataDir);
    try {
      expect(await db.all('SELECT username, password_change_required FROM staff_account ORDER BY id')).toEqual([
        { username: 'forsta.admin', password_change_required: 0 },
        { username: 'olle', password_change_required: 1 },
        { username: 'kort.anna', password_change_required: 0 },
      ]);
    } finally {
      await db.close();
    }
  });
});
