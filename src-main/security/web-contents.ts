// Hardens every web contents Electron creates: no navigation, no new windows, no permissions, no webviews.
import { app, session, type WebContents } from 'electron';

export function isAppUrl(url: string, rendererUrl: string): boolean {
  return url.startsWith(rendererUrl);
}

export function hardenWebContents(rendererUrl: string): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, rendererUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
  });
}
