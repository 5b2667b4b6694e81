// Electron glue only: single instance, the kiosk window, IPC → router, events → window.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron';
import type { StationEvent } from '@shared/contract';
import { trustFolders } from './card/trust-store';
import { ALLOW_VIRTUAL_READERS_FLAG } from './card/virtual-readers';
import { joinRequestFromEnv } from './organisation/station-identity';
import { databaseFromEnv } from './db/location';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels';
import type { Session } from './router';
import { CONTENT_SECURITY_POLICY } from './security/csp';
import { sealedDataKeySource } from './security/sealed-data-key';
import { hardenWebContents, isAppUrl } from './security/web-contents';
import { MailConfigError, mailConfigFromEnv } from './mail/config';
import { SmsConfigError, smsConfigFromEnv } from './mail/sms';
import { openKioskStation } from './kiosk-start';

const here = fileURLToPath(new URL('.', import.meta.url));
const devMode = process.argv.includes('--dev');
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? `file://${join(here, '../renderer/')}`;
/** better-sqlite3 built against Electron's ABI, beside the Node build that tests use (see scripts/setup.mjs). */
const electronSqliteBinding = join(here, '../../build/electron/better_sqlite3.node');

if (!app.requestSingleInstanceLock()) app.quit();
hardenWebContents(rendererUrl);

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    fullscreen: !devMode,
    kiosk: !devMode,
    autoHideMenuBar: true,
    backgroundColor: '#f6f8fa',
    webPreferences: {
      preload: join(here, '../preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      devTools: devMode,
      spellcheck: false,
    },
  });
  window.removeMenu();
  if (!devMode) {
    // no reload or devtools shortcuts at the counter
    window.webContents.on('before-input-event', (event, input) => {
      const key = input.key.toLowerCase();
      if (key === 'f5' || key === 'f12' || ((input.control || input.meta) && ['r', 'i', 'j'].includes(key))) event.preventDefault();
    });
  }
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void window.loadFile(join(here, '../renderer/index.html'));
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  let mail;
  let sms;
  try {
    mail = mailConfigFromEnv(process.env);
    sms = smsConfigFromEnv(process.env);
  } catch (error) {
    if (!(error instanceof MailConfigError) && !(error instanceof SmsConfigError)) throw error;
    console.error(error.message);
    dialog.showErrorBox('Kortstation kan inte starta', error.message);
    app.exit(1);
    return;
  }
  const opening = await openKioskStation({
    dataDir: app.getPath('userData'),
    database: databaseFromEnv(process.env),
    host: 'electron',
    trustDirs: trustFolders(join(app.getPath('userData'), 'trust')),
    nativeBinding: electronSqliteBinding,
    dataKey: sealedDataKeySource(app.getPath('userData')),
    mail,
    sms,
    publicUrl: process.env.KORTSTATION_PUBLIC_URL,
    allowVirtualReaders: process.argv.includes(ALLOW_VIRTUAL_READERS_FLAG),
    joinAs: joinRequestFromEnv(process.env),
  });
  if (opening.kind === 'refused') {
    const { title, message, detail, exitCode } = opening.refusal;
    console.error(detail);
    dialog.showErrorBox(title, `${message}\n\n${detail}`);
    app.exit(exitCode);
    return;
  }
  const { station } = opening;
  const sessions = new Map<number, Session>();
  ipcMain.handle(CALL_CHANNEL, (event, name: unknown, input: unknown) => {
    if (!event.senderFrame || !isAppUrl(event.senderFrame.url, rendererUrl)) return { ok: false, code: 'forbidden', message: 'Unknown sender' };
    const id = event.sender.id;
    let callerSession = sessions.get(id);
    if (!callerSession) {
      callerSession = { id: String(id), operator: null };
      sessions.set(id, callerSession);
    }
    return station.router.call(callerSession, typeof name === 'string' ? name : '', input);
  });
  const window = createWindow();
  const forward = (stationEvent: StationEvent): void => {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, stationEvent);
  };
  const stopEvents = station.onEvent(forward);
  // a staff session's end goes only to the window whose session it was
  station.auth.on('session-ended', (sessionId, reason) => {
    if (!window.isDestroyed() && String(window.webContents.id) === sessionId) forward({ type: 'session-ended', reason });
  });
  // a job's progress, like a session's end, goes only to the window whose session started it
  station.work.on('progress', (sessionId, progress) => {
    if (!window.isDestroyed() && String(window.webContents.id) === sessionId) forward(progress);
  });
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    stopEvents();
    void station.close();
  });
}

void start();
