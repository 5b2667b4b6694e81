// Server mode on PostgreSQL: 200 browser sessions at once, each logged in by its SITHS client certificate, searching people, opening one and running a report over HTTPS.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSRF_HEADER, SESSION_PATH, startServerHost } from '../src-main/host/server';
import { FULL_SCOPE } from '../src-main/organisation/organisation';
import { parsePeopleFile } from '../src-main/people/import';
import { importPeople } from '../src-main/people/import-apply';
import type { Session } from '../src-main/router';
import { openStation } from '../src-main/station';
import { csvLine, HSA_OWNER, TEMPLATE_HEADER, testPerson } from '../test/people-data';
import { testPki } from '../test/sim/pki';
import { freshPostgresDatabase, startPostgres } from '../test/support/postgres';
import { clientCertificate, serverTls } from '../test/support/server-tls';
import { writeTrustDir } from '../test/support/trust-dir';
import { percentile } from './stats';

/** KORTSTATION_BENCH_SERVER=quick: 20 sessions and a tenth of the people, for a smoke run; the figures then say so. */
const QUICK = process.env.KORTSTATION_BENCH_SERVER === 'quick';
const SESSIONS = QUICK ? 20 : 200;
const ROUNDS = QUICK ? 3 : 10;
const PEOPLE = QUICK ? 2_000 : 20_000;
const KINDS = ['login', 'search', 'person', 'report'] as const;
type Kind = (typeof KINDS)[number];

interface Reply {
  status: number;
  cookie: string | null;
  body: string;
}

function send(agent: Agent, origin: string, path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(new URL(path, origin), { method: body === undefined ? 'GET' : 'POST', agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, cookie: response.headers['set-cookie']?.[0]?.split(';')[0] ?? null, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

export async function benchServer(): Promise<void> {
  const cluster = startPostgres();
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-bench-server-'));
  try {
    const pki = await testPki();
    const tls = serverTls();
    const trustDir = writeTrustDir([pki.rootDer, pki.issuingCaDer]);
    const database = await freshPostgresDatabase(cluster.url);
    // the register is set up at a kiosk: the first administrator, the people, one card-login account per session, the CA's CRL
    const kiosk = await openStation({ dataDir, database, host: 'web', trustDirs: [trustDir], allowVirtualReaders: false });
    const setup: Session = { id: 'setup', operator: null };
    const value = async (name: string, input: unknown): Promise<unknown> => {
      const reply = await kiosk.router.call(setup, name, input);
      if (!reply.ok) throw new Error(`${name}: ${reply.code} ${reply.message}`);
      return reply.value;
    };
    await value('setup.firstRun', { organisationName: 'Region Bench', stationName: 'Bench', admin: { username: 'admin', displayName: 'Bench Admin', password: 'Vinterkort42' } });
    const lines = [TEMPLATE_HEADER, ...Array.from({ length: PEOPLE }, (_, n) => csvLine(testPerson(n)))];
    await importPeople(kiosk.database, FULL_SCOPE, await parsePeopleFile(new TextEncoder().encode(lines.join('\r\n')), 'people.csv'));
    const holders = Array.from({ length: SESSIONS }, (_, n) => ({ name: `Enhet Chef${n}`, hsaId: `${HSA_OWNER}-bench${n}` }));
    for (const [n, holder] of holders.entries()) await value('staff.create', { username: `chef${n}`, displayName: holder.name, role: 'org-admin', hsaId: holder.hsaId });
    const now = Date.now();
    await value('crl.import', { contentBase64: Buffer.from(await pki.crl({ thisUpdate: new Date(now - 3_600_000), nextUpdate: new Date(now + 86_400_000), revokedSerials: [] })).toString('base64') });
    const personIds = await kiosk.database.column<number>('SELECT id FROM person ORDER BY id LIMIT 1000');
    await kiosk.close();

    const station = await openStation({ dataDir, database, host: 'server', trustDirs: [trustDir], allowVirtualReaders: false });
    const unlimited = { max: Number.MAX_SAFE_INTEGER, windowMs: 60_000 };
    // every session comes from 127.0.0.1 here, so the per-address limits would measure themselves
    const host = await startServerHost({ router: station.router, onEvent: station.onEvent, staticDir: dataDir, host: '127.0.0.1', port: 0, tls: { cert: tls.cert, key: tls.key }, clientCaRoots: [pki.rootDer], limits: { requestsPerAddress: unlimited, loginsPerAddress: unlimited } });
    const origin = `https://127.0.0.1:${host.port}`;
    const samples = Object.fromEntries(KINDS.map((kind) => [kind, [] as number[]])) as Record<Kind, number[]>;
    const certificates = await Promise.all(holders.map((holder) => clientCertificate(pki, holder)));
    const started = performance.now();
    try {
      await Promise.all(
        certificates.map(async (certificate, n) => {
          const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: tls.cert, cert: certificate.cert, key: certificate.key });
          const opened = await send(agent, origin, SESSION_PATH, {});
          let cookie = opened.cookie!;
          const csrf = (JSON.parse(opened.body) as { csrfToken: string }).csrfToken;
          const call = async (kind: Kind, name: string, input: unknown): Promise<void> => {
            const began = performance.now();
            const reply = await send(agent, origin, `/api/call/${name}`, { 'content-type': 'application/json', origin, cookie, [CSRF_HEADER]: csrf }, JSON.stringify(input));
            samples[kind].push(performance.now() - began);
            const envelope = JSON.parse(reply.body) as { ok: boolean; code?: string; value?: { ok?: boolean } };
            if (reply.status !== 200 || !envelope.ok || envelope.value?.ok === false) throw new Error(`${name}: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
            if (reply.cookie) cookie = reply.cookie;
          };
          await call('login', 'auth.loginCertificate', {});
          for (let round = 0; round < ROUNDS; round++) {
            const person = testPerson((n * ROUNDS + round) % PEOPLE);
            await call('search', 'people.search', { query: person.surname.slice(0, 4), limit: 20 });
            await call('person', 'people.get', { id: personIds[(n * ROUNDS + round) % personIds.length]! });
            await call('report', 'reports.run', { report: 'employment-ending', filters: {}, limit: 100, offset: 0 });
          }
          agent.destroy();
        }),
      );
    } finally {
      await host.close();
      await station.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const calls = KINDS.reduce((sum, kind) => sum + samples[kind].length, 0);
    console.log(`server mode over HTTPS on PostgreSQL${QUICK ? ' (quick: KORTSTATION_BENCH_SERVER=quick)' : ''}, ${SESSIONS} sessions at once × ${ROUNDS} rounds, ${PEOPLE} people; clients and server share this process:`);
    for (const kind of KINDS) console.log(`  ${kind.padEnd(8)} p50 ${percentile(samples[kind], 50).toFixed(1)} ms, p95 ${percentile(samples[kind], 95).toFixed(1)} ms, n=${samples[kind].length}`);
    console.log(`  ${calls} calls in ${seconds.toFixed(1)} s: ${(calls / seconds).toFixed(0)} calls/s`);
  } finally {
    cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

