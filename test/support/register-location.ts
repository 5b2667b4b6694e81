// Where a test's register is: the SQLite file of its data folder, or, with KORTSTATION_TEST_ENGINE=postgres, a database of its own in the run's throw-away PostgreSQL.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE, DATABASE_URL_ENV } from '../../src-main/db/location';

type Engine = 'sqlite' | 'postgres';

export const TEST_ENGINE_ENV = 'KORTSTATION_TEST_ENGINE';
/** Set by the integration set-up: the throw-away cluster's superuser URL. */
export const TEST_POSTGRES_ENV = 'KORTSTATION_TEST_POSTGRES_URL';

export const testEngine: Engine = process.env[TEST_ENGINE_ENV] === 'postgres' ? 'postgres' : 'sqlite';

/** The migrated database the integration set-up builds; each test's own database is a copy of it. */
export const REGISTER_TEMPLATE = 'kortstation_register_template';

// beside the data, so every process of one test (this one, the CLI, browser mode) finds the same database
const URL_FILE = 'test-region-database-url';

function createPostgresDatabase(): string {
  const admin = process.env[TEST_POSTGRES_ENV];
  if (!admin) throw new Error(`${TEST_ENGINE_ENV}=postgres needs the integration set-up's cluster (${TEST_POSTGRES_ENV}).`);
  const name = `kortstation_${randomBytes(6).toString('hex')}`;
  const created = spawnSync('psql', [admin, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name} TEMPLATE ${REGISTER_TEMPLATE}`], { encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`CREATE DATABASE failed: ${created.stderr}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Where the register of this data folder is: its SQLite file, or its own PostgreSQL database when the run tests that engine. */
export function testRegisterLocation(dataDir: string): string {
  if (testEngine === 'sqlite') return join(dataDir, DATABASE_FILE);
  const file = join(dataDir, URL_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const url = createPostgresDatabase();
  writeFileSync(file, url, { mode: 0o600 });
  return url;
}

/** The environment a CLI or browser-mode process of this data folder needs to use the same register. */
export function registerEnv(dataDir: string): NodeJS.ProcessEnv {
  return testEngine === 'sqlite' ? {} : { [DATABASE_URL_ENV]: testRegisterLocation(dataDir) };
}

/** For a test about the station's SQLite file itself: its processes use the file of --data on either run. */
export const sqliteFileEnv = (): NodeJS.ProcessEnv => ({ ...process.env, [TEST_ENGINE_ENV]: 'sqlite' });

/** The environment of a CLI or browser-mode process started with these arguments: the register of its --data folder. */
export function envForArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const at = args.indexOf('--data');
  // a test that names a region database itself keeps it, and one about the SQLite file keeps the file
  if (testEngine === 'sqlite' || at < 0 || env[DATABASE_URL_ENV] || args.includes('--database') || env[TEST_ENGINE_ENV] === 'sqlite') return env;
  return { ...env, ...registerEnv(args[at + 1]!) };
}
