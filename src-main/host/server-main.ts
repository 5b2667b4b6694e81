// `npm run serve`: the staff pages over HTTPS for unit administrators' desks, against the region database, with no card readers.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadTrustedCertificates, trustFolders } from '../card/trust-store';
import { databaseFromEnv, hasPassword, PASSWORD_ON_COMMAND_LINE } from '../db/location';
import { DatabaseVersionError } from '../db/version-error';
import { MailConfigError, mailConfigFromEnv } from '../mail/config';
import { SmsConfigError, smsConfigFromEnv } from '../mail/sms';
import { openStation } from '../station';
import { startServerHost } from './server';
import { shutdownOnce } from './shutdown';

const USAGE = 'usage: npm run serve -- --listen HOST:PORT --tls-cert FILE --tls-key FILE [--database URL] [--http-redirect PORT] [--trust FOLDER] [--data FOLDER] [--name NAME]';

const { values } = parseArgs({
  options: {
    listen: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'http-redirect': { type: 'string' },
    data: { type: 'string', default: './data' },
    database: { type: 'string' },
    static: { type: 'string', default: fileURLToPath(new URL('../../out/renderer', import.meta.url)) },
    trust: { type: 'string' },
    name: { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const portOf = (text: string, what: string): number => {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) fail(`${what} must be a port number from 0 to 65535, not "${text}"`);
  return port;
};

if (!values.listen || !values['tls-cert'] || !values['tls-key']) fail(USAGE);
if (values.database !== undefined && hasPassword(values.database)) fail(PASSWORD_ON_COMMAND_LINE);
const listenAt = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(values.listen);
if (!listenAt) fail(`--listen must be HOST:PORT, for example 0.0.0.0:8443, not "${values.listen}"`);
const host = listenAt[1] ?? listenAt[2]!;
const port = portOf(listenAt[3]!, '--listen');
const redirectPort = values['http-redirect'] === undefined ? undefined : portOf(values['http-redirect'], '--http-redirect');

let tls: { cert: Buffer; key: Buffer };
try {
  tls = { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) };
} catch (error) {
  fail(`Cannot read the TLS certificate or key: ${(error as Error).message}`);
}

try {
  const trustDirs = trustFolders(values.trust);
  const station = await openStation({ dataDir: values.data, database: values.database ?? databaseFromEnv(process.env), host: 'server', serverName: values.name, trustDirs, mail: mailConfigFromEnv(process.env), sms: smsConfigFromEnv(process.env), publicUrl: process.env.KORTSTATION_PUBLIC_URL, allowVirtualReaders: false });
  const server = await startServerHost({
    router: station.router,
    onEvent: station.onEvent,
    onSessionEvent: (listener) => station.work.subscribe(listener),
    staticDir: values.static,
    host,
    port,
    tls,
    clientCaRoots: loadTrustedCertificates(trustDirs),
    httpRedirectPort: redirectPort,
  });
  // a staff login that ended by itself (idle) also retires the cookie that carried it
  station.auth.on('session-ended', (sessionId) => server.renewSession(sessionId));
  console.log(`Kortstation (server mode) at ${server.url}`);
  if (server.redirectPort !== null) console.log(`Plain HTTP on port ${server.redirectPort} redirects to HTTPS`);
  shutdownOnce(async () => {
    await server.close();
    await station.close();
  });
} catch (error) {
  if (error instanceof DatabaseVersionError || error instanceof MailConfigError || error instanceof SmsConfigError) fail(error.message);
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') fail(`The port is already in use: ${(error as Error).message}`);
  if ((error as NodeJS.ErrnoException).code === 'EACCES') fail(`May not listen there (a port below 1024 needs privileges): ${(error as Error).message}`);
  throw error;
}
