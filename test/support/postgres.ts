// A throw-away PostgreSQL cluster from Debian's postgresql package: initdb in a temporary folder, reached by a unix socket only, gone on stop or exit.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const DEBIAN_VERSIONS = '/usr/lib/postgresql';

/** Debian puts each major version in its own folder (15 in bookworm, 17 in trixie): the newest one installed. */
function serverBin(): string {
  if (process.env.KORTSTATION_POSTGRES_BIN) return process.env.KORTSTATION_POSTGRES_BIN;
  const newest = readdirSync(DEBIAN_VERSIONS, { withFileTypes: true }).filter((entry) => entry.isDirectory() && /^\d+$/.test(entry.name)).map((entry) => Number(entry.name)).sort((a, b) => b - a)[0];
  if (newest === undefined) throw new Error(`No PostgreSQL server in ${DEBIAN_VERSIONS}: install Debian's postgresql package (npm test does).`);
  return join(DEBIAN_VERSIONS, String(newest), 'bin');
}

// the socket file is named by the port; nothing else can reach a folder of our own, so any port will do
const PORT = 5432;
const SUPERUSER = 'postgres';
// PostgreSQL refuses to run as root: as root the cluster belongs to Debian's postgres user, otherwise to whoever runs the tests
const CLUSTER_OWNER = process.getuid?.() === 0 ? 'postgres' : null;

export interface PostgresCluster {
  /** The superuser's URL of the cluster's maintenance database. */
  url: string;
  /** Stops the server as a restart or an outage would (its data stays); `resume` starts it again on the same socket. */
  pause(): void;
  resume(): void;
  stop(): void;
}

function run(command: string, args: string[]): void {
  const bin = serverBin();
  const [file, argv] = CLUSTER_OWNER ? ['runuser', ['-u', CLUSTER_OWNER, '--', join(bin, command), ...args]] : [join(bin, command), args];
  const result = spawnSync(file, argv, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.error?.message ?? ''}${result.stderr}${result.stdout}`);
}

function ownerIds(user: string): { uid: number; gid: number } {
  const id = (flag: string): number => Number(spawnSync('id', [flag, user], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

// pg takes the socket folder from host=; "localhost" only keeps the URL one that node's URL parses
export const socketUrl = (folder: string, database: string): string => `postgres://${SUPERUSER}@localhost/${database}?host=${encodeURIComponent(folder)}`;

export function startPostgres(): PostgresCluster {
  const folder = mkdtempSync(join(tmpdir(), 'kortstation-pg-'));
  if (CLUSTER_OWNER) {
    const { uid, gid } = ownerIds(CLUSTER_OWNER);
    chownSync(folder, uid, gid);
  }
  const data = join(folder, 'data');
  let running = false;
  const stop = (): void => {
    process.off('exit', stop);
    // immediate: the cluster is thrown away, so nothing needs a clean checkpoint
    if (running) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    running = false;
    rmSync(folder, { recursive: true, force: true });
  };
  process.on('exit', stop);
  const start = (): void => {
    const server = `-p ${PORT} -k ${folder} -c listen_addresses='' -c fsync=off -c full_page_writes=off -c synchronous_commit=off`;
    running = true;
    run('pg_ctl', ['-D', data, '-l', join(folder, 'server.log'), '-o', server, '-w', 'start']);
  };
  try {
    // no fsync anywhere: a test cluster never outlives a crash, and the shared machine is slow enough already
    run('initdb', ['-D', data, '--username', SUPERUSER, '--auth', 'trust', '--no-locale', '--encoding', 'UTF8', '--no-sync']);
    start();
  } catch (error) {
    stop();
    throw error;
  }
  const pause = (): void => {
    // fast: open sessions are cut off, as a restart of the server or a dropped network cuts them off
    run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    running = false;
  };
  return { url: socketUrl(folder, 'postgres'), pause, resume: start, stop };
}

/** One connection for the length of `work`, as another program than Kortstation would use the database. */
export async function onPostgres<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database named `name` in the cluster of adminUrl; its URL. */
export async function createPostgresDatabase(adminUrl: string, name: string): Promise<string> {
  await onPostgres(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A new, empty database in the cluster of adminUrl, so no test file sees another's tables; its URL. */
export const freshPostgresDatabase = (adminUrl: string): Promise<string> => createPostgresDatabase(adminUrl, `kortstation_${randomBytes(6).toString('hex')}`);
