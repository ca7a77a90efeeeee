/**
 * Relais main process: wiring only. Each concern lives in its own folder; this file connects them
 * in the order Electron requires (scheme privileges before ready, handlers before the window loads).
 */
import { join } from 'node:path';
import { app, BrowserWindow, protocol, session, shell } from 'electron';
import { defaultExternalOrigins } from '../shared/security/external-links';
import { createSessionManager } from './auth/session';
import { sessionStoreIn } from './auth/session-store';
import { createHieTransport } from './hie/hie-transport';
import { createIpcHandlers } from './ipc/handlers';
import { registerContractHandlers } from './ipc/main-ipc';
import { createLogger } from './log/logger';
import { createKeytarSecretStore } from './secrets/keytar-store';
import { appEntryUrl, appScheme } from './security/app-origin';
import { appSchemePrivileges, createAppProtocolHandler } from './security/app-protocol';
import { guardNavigation } from './security/navigation';
import { denyAllPermissions } from './security/permissions';
import { createSettingsFile } from './settings/settings-file';
import { policyPathFor, readHiePolicy } from './policy/hie-config';
import { createMainWindow } from './windows/main-window';

const log = createLogger('main');
const allowedExternalOrigins = defaultExternalOrigins;
const openExternal = (url: string): Promise<void> => shell.openExternal(url);

app.setName('Relais');
app.enableSandbox();
protocol.registerSchemesAsPrivileged([appSchemePrivileges]);

if (!app.requestSingleInstanceLock()) {
  // Another Relais already holds the replica: hand over to it and leave.
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Every WebContents, including any the page might try to create, gets the navigation guards.
  app.on('web-contents-created', (_event, contents) => {
    guardNavigation(contents, { allowedExternalOrigins, openExternal, log });
  });

  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(async () => {
    denyAllPermissions(session.defaultSession);
    protocol.handle(appScheme, createAppProtocolHandler(join(app.getAppPath(), 'dist', 'renderer')));
    const settings = createSettingsFile(join(app.getPath('userData'), 'settings.json'));
    const secrets = createKeytarSecretStore('Relais');
    const policy = await readHiePolicy(policyPathFor(process.platform, process.env), process.env);
    const hieSession =
      policy === null
        ? null
        : createSessionManager({
            fhirBase: policy.fhirBase,
            ...(policy.clientId === undefined ? {} : { clientId: policy.clientId }),
            secrets,
            store: sessionStoreIn(settings),
            // The provider's login page, at the address discovery found: main opens it, the page never chooses it.
            openBrowser: (url) => shell.openExternal(url),
            log: createLogger('auth'),
          });
    const hie = policy === null || hieSession === null ? null : createHieTransport({ fhirBase: policy.fhirBase, tokens: hieSession, log: createLogger('hie') });
    registerContractHandlers(
      createIpcHandlers({
        appName: app.getName(),
        appVersion: app.getVersion(),
        platform: process.platform,
        settings,
        secrets,
        allowedExternalOrigins,
        openExternal,
        session: hieSession,
        hie,
        clearPageStorage: () => session.defaultSession.clearStorageData(),
        ...(policy?.offlineLeaseDays === undefined ? {} : { offlineLeaseDays: policy.offlineLeaseDays }),
        ...(policy?.identifierPriority === undefined ? {} : { identifierPriority: policy.identifierPriority }),
      }),
      createLogger('ipc'),
    );
    mainWindow = createMainWindow(BrowserWindow, join(app.getAppPath(), 'dist', 'preload', 'preload.cjs'));
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    await mainWindow.loadURL(appEntryUrl);
    log.info('window loaded');
  });
}
