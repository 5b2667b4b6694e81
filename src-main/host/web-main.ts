// `npm run start:web`: opens the station and serves it to a browser on 127.0.0.1; `--open` starts the kiosk window, the way in for a person.
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { trustFolders } from '../card/trust-store';
import { ALLOW_VIRTUAL_READERS_FLAG } from '../card/virtual-readers';
import { joinRequestFromEnv, StationNotJoinedError } from '../organisation/station-identity';
import { databaseFromEnv, hasPassword, PASSWORD_ON_COMMAND_LINE } from '../db/location';
import { DatabaseVersionError } from '../db/version-error';
import { MailConfigError, mailConfigFromEnv } from '../mail/config';
import { SmsConfigError, smsConfigFromEnv } from '../mail/sms';
import { openStation } from '../station';
import { openInChromium } from './chromium';
import { shutdownOnce } from './shutdown';
import { PortInUseError, startWebHost } from './web';

/** Without `--open`, the file in the data folder that holds a live one-time launch token (0600). */
export const LAUNCH_TOKEN_FILE = 'browser-launch-token';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    data: { type: 'string', default: './data' },
    database: { type: 'string' },
    static: { type: 'string', default: fileURLToPath(new URL('../../out/renderer', import.meta.url)) },
    trust: { type: 'string' },
    open: { type: 'boolean', default: false },
    window: { type: 'boolean', default: false },
    [ALLOW_VIRTUAL_READERS_FLAG.slice(2)]: { type: 'boolean', default: false },
  },
});

if (values.database !== undefined && hasPassword(values.database)) {
  console.error(PASSWORD_ON_COMMAND_LINE);
  process.exit(1);
}

const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, not "${values.port}"`);
  process.exit(1);
}

try {
  const station = await openStation({ dataDir: values.data, database: values.database ?? databaseFromEnv(process.env), host: 'web', trustDirs: trustFolders(values.trust), mail: mailConfigFromEnv(process.env), sms: smsConfigFromEnv(process.env), publicUrl: process.env.KORTSTATION_PUBLIC_URL, allowVirtualReaders: values[ALLOW_VIRTUAL_READERS_FLAG.slice(2)] === true, joinAs: joinRequestFromEnv(process.env) });
  const launchTokenFile = values.open ? undefined : join(values.data, LAUNCH_TOKEN_FILE);
  const host = await startWebHost({
    router: station.router,
    onEvent: station.onEvent,
    onSessionEvent: (listener) => station.work.subscribe(listener),
    staticDir: values.static,
    port,
    launchTokenFile,
    onAdmitted: (kiosk) => console.log(kiosk ? 'The kiosk window is in.' : 'Another window is in.'),
  });
  // a staff login that ended by itself also retires the cookie that carried it
  station.auth.on('session-ended', (sessionId) => host.renewSession(sessionId));
  console.log(`Kortstation (browser mode) at ${host.url}`);
  if (launchTokenFile) console.log(`Without --open, a window gets in once with the launch token in ${launchTokenFile}`);
  const browser = values.open ? openInChromium(host.url, host.issueLaunchToken(), { kiosk: !values.window }) : null;
  const shutdown = shutdownOnce(async () => {
    // waiting for the window lets it take its profile and launch page away with it
    if (browser && browser.exitCode === null && browser.signalCode === null) {
      const exited = once(browser, 'exit');
      browser.kill();
      await exited;
    }
    await host.close();
    await station.database.close();
  });
  browser?.on('exit', shutdown);
} catch (error) {
  if (error instanceof DatabaseVersionError || error instanceof PortInUseError || error instanceof MailConfigError || error instanceof SmsConfigError || error instanceof StationNotJoinedError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
