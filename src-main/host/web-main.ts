// `npm run start:web`: opens the station and serves it to a browser on 127.0.0.1.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { trustFolders } from '../card/trust-store';
import { DatabaseVersionError } from '../db/open';
import { MailConfigError, mailConfigFromEnv } from '../services/mail-config';
import { openStation } from '../station';
import { openInChromium } from './chromium';
import { PortInUseError, startWebHost } from './web';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    data: { type: 'string', default: './data' },
    static: { type: 'string', default: fileURLToPath(new URL('../../out/renderer', import.meta.url)) },
    trust: { type: 'string' },
    open: { type: 'boolean', default: false },
    window: { type: 'boolean', default: false },
  },
});

const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, not "${values.port}"`);
  process.exit(1);
}

try {
  const station = await openStation({ dataDir: values.data, host: 'web', trustDirs: trustFolders(values.trust), mail: mailConfigFromEnv(process.env) });
  const host = await startWebHost({ router: station.router, onEvent: station.onEvent, staticDir: values.static, port });
  console.log(`Kortstation (browser mode) at ${host.url}`);
  const browser = values.open ? openInChromium(host.url, { kiosk: !values.window }) : null;
  const shutdown = async (): Promise<void> => {
    browser?.kill();
    await host.close();
    await station.database.close();
    // exiting releases the PC/SC context; closing it by hand can block in pcsclite's native thread join
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  browser?.on('exit', shutdown);
} catch (error) {
  if (error instanceof DatabaseVersionError || error instanceof PortInUseError || error instanceof MailConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
