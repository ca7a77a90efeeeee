/**
 * Relais main process: wiring only. Each concern lives in its own folder; this file connects them
 * in the order Electron requires (scheme privileges before ready, handlers before the window loads).
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { app, BrowserWindow, Menu, MessageChannelMain, protocol, safeStorage, session, shell } from 'electron';
import { defaultExternalOrigins } from '../shared/security/external-links';
import { createSessionManager } from './auth/session';
import { sessionStoreIn } from './auth/session-store';
import { createHieTransport } from './hie/hie-transport';
import { createIpcHandlers, hieTextRequest, sourcePortHandlers } from './ipc/handlers';
import { createSourceServices } from './sources/source-services';
import { serveDataPort } from './ipc/data-port';
import { dataPortMessage } from '../shared/ipc/wire';
import { registerContractHandlers } from './ipc/main-ipc';
import { createLogger } from './log/logger';
import { createKeytarSecretStore } from './secrets/keytar-store';
import { createSafeStorageSecretStore } from './secrets/safe-storage-store';
import { SecretStoreError, unavailableSecretStore } from './secrets/secret-store';
import { openSecretStore } from './secrets/secret-store-choice';
import { createVaultKeyService } from './secrets/vault-keys';
import { appEntryUrl, appScheme } from './security/app-origin';
import { appSchemePrivileges, createAppProtocolHandler } from './security/app-protocol';
import { debuggingSwitches, debuggingSwitchesIn, packagedMenuTemplate } from './security/debugging';
import { guardNavigation } from './security/navigation';
import { denyAllPermissions } from './security/permissions';
import { createSettingsFile } from './settings/settings-file';
import { autoUpdater } from 'electron-updater';
import { externalOriginsFrom, PolicyError, policySources, readHiePolicy } from './policy/hie-config';
import { chooseHie, createSetupService, type PolicyReading } from './policy/hie-setup';
import { electronUpdaterPort } from './updates/electron-updater-port';
import { createUpdateService } from './updates/update-service';
import { policyStoreFor } from './policy/policy-store';
import { createMainWindow } from './windows/main-window';

const log = createLogger('main');
// The built-in reference sites until the policy is read (before any window exists), then the policy's list.
let allowedExternalOrigins: readonly string[] = defaultExternalOrigins;
const openExternal = (url: string): Promise<void> => shell.openExternal(url);

const packaged = app.isPackaged;
// A packaged Relais refuses to run with a debugging switch (Chromium's have no fuse).
const refusedSwitches = packaged
  ? [...new Set([...debuggingSwitchesIn(process.argv), ...debuggingSwitches.filter((name) => app.commandLine.hasSwitch(name))])]
  : [];
if (refusedSwitches.length > 0) {
  log.error('refusing to start with debugging switches', { switches: refusedSwitches.join(',') });
  app.exit(1);
}

app.setName('Relais');
app.enableSandbox();
protocol.registerSchemesAsPrivileged([appSchemePrivileges]);

if (refusedSwitches.length > 0) {
  // exiting: nothing else is set up
} else if (!app.requestSingleInstanceLock()) {
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
    // Belt and braces with devTools: false: a packaged build closes DevTools the moment they open.
    if (packaged) contents.on('devtools-opened', () => contents.closeDevTools());
  });

  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(async () => {
    // Packaged: no DevTools, no reload in the menu (none at all outside macOS). Development keeps Electron's.
    if (packaged) {
      const template = packagedMenuTemplate(process.platform);
      Menu.setApplicationMenu(template === null ? null : Menu.buildFromTemplate(template));
    }
    denyAllPermissions(session.defaultSession);
    protocol.handle(appScheme, createAppProtocolHandler(join(app.getAppPath(), 'dist', 'renderer')));
    const settings = createSettingsFile(join(app.getPath('userData'), 'settings.json'));
    // A policy that is there but not valid is never taken as none: the setup screen says to call IT.
    let reading: PolicyReading;
    try {
      reading = { policy: await readHiePolicy(policyStoreFor(process.platform), process.env, { packaged }) };
    } catch (error: unknown) {
      if (!(error instanceof PolicyError)) throw error;
      log.error('the policy is not valid');
      reading = { invalid: true };
    }
    // The secrets' store, as IT chose (the OS keychain through keytar by default, or Electron safeStorage), with the
    // secrets moved there first. A store that holds them and cannot be reached fails every call with its sentence.
    const readPolicy = 'invalid' in reading ? null : reading.policy;
    const secretsFile = join(app.getPath('userData'), 'secrets.json');
    const secrets = await openSecretStore({
      choice: readPolicy?.secretStore ?? 'keychain',
      keychain: createKeytarSecretStore('Relais'),
      safeStorage: () => createSafeStorageSecretStore({ safeStorage, path: secretsFile, platform: process.platform }),
      safeStorageFileExists: () => existsSync(secretsFile),
      settings,
      log: createLogger('secrets'),
    }).catch((error: unknown) => {
      if (!(error instanceof SecretStoreError)) throw error;
      log.error('the secret store cannot be opened', { code: error.code });
      return unavailableSecretStore(error);
    });
    // The HIE: IT's, or the one an administrator confirmed where IT allows it; none: the setup screen, never a demo.
    const choice = chooseHie(reading, (await settings.read()).administratorHie?.fhirBase ?? null);
    const policy = choice.policy;
    const setup = createSetupService({
      choice,
      settings,
      restart: () => {
        app.relaunch();
        app.exit(0);
      },
    });
    // Updates from IT's feed, when the policy names one and the build is packaged (electron-updater works on installed apps only).
    const updatePolicy = readPolicy?.updates;
    const updateLog = createLogger('updates');
    const updates = createUpdateService({
      port: updatePolicy === undefined || !updatePolicy.enabled || !packaged ? null : electronUpdaterPort(autoUpdater, updatePolicy, updateLog),
      log: updateLog,
    });
    void updates.check();
    setInterval(() => void updates.check(), 4 * 60 * 60_000).unref();
    app.on('before-quit', () => updates.beforeQuit());
    allowedExternalOrigins = externalOriginsFrom(policy, defaultExternalOrigins);
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
    // The policy's other FHIR sources, each signed in to on its own (read only), in the system browser as the primary.
    const sources =
      policy === null
        ? new Map()
        : createSourceServices({
            sources: policySources(policy, 'HIE'),
            secrets,
            settings,
            openBrowser: (url) => shell.openExternal(url),
            log: createLogger('sources'),
            ...(policy.offlineLeaseDays === undefined ? {} : { primaryLeaseDays: policy.offlineLeaseDays }),
          });
    const dataPortLog = createLogger('data-port');
    /** Serves one data worker's platform services on a new port and posts the other end to the window, with the request's ticket. */
    const postDataPort = (ticket: string, serve: (port: Electron.MessagePortMain) => () => void): void => {
      if (mainWindow === null) return;
      const { port1, port2 } = new MessageChannelMain();
      const stop = serve(port1);
      // The worker ended (terminated at lock): main stops serving its port.
      port1.on('close', stop);
      mainWindow.webContents.postMessage(dataPortMessage, ticket, [port2]);
    };
    const hie = policy === null || hieSession === null ? null : createHieTransport({ fhirBase: policy.fhirBase, tokens: hieSession, log: createLogger('hie') });
    const handlers = createIpcHandlers({
      appName: app.getName(),
      appVersion: app.getVersion(),
      platform: process.platform,
      settings,
      secrets,
      allowedExternalOrigins,
      openExternal,
      session: hieSession,
      hie,
      vaultKeys: createVaultKeyService({
        secrets,
        ...(policy?.maxUnlockAttempts === undefined ? {} : { maxAttempts: policy.maxUnlockAttempts }),
        onSecretReplaced: () => log.warn('the keychain held a malformed device secret; a new one was made for the new replica'),
      }),
      clearPageStorage: () => session.defaultSession.clearStorageData(),
      ...(policy?.offlineLeaseDays === undefined ? {} : { offlineLeaseDays: policy.offlineLeaseDays }),
      ...(policy?.identifierPriority === undefined ? {} : { identifierPriority: policy.identifierPriority }),
      ...(policy?.messageAttachmentMaxBytes === undefined ? {} : { messageAttachmentMaxBytes: policy.messageAttachmentMaxBytes }),
      ...(policy?.imagingViewerUrl === undefined ? {} : { imagingViewerUrl: policy.imagingViewerUrl }),
      ...(policy?.linkIdentifierSystems === undefined ? {} : { linkIdentifierSystems: policy.linkIdentifierSystems }),
      ...(policy?.idleLockMaxMinutes === undefined ? {} : { idleLockMaxMinutes: policy.idleLockMaxMinutes }),
      ...(policy?.idleLockDefaultMinutes === undefined ? {} : { idleLockDefaultMinutes: policy.idleLockDefaultMinutes }),
      ...(policy?.passphraseMinLength === undefined ? {} : { passphraseMinLength: policy.passphraseMinLength }),
      // A data worker's platform services, on a port of its own: HIE answers never cross the page.
      openDataPort: async (ticket) => postDataPort(ticket, (port) => serveDataPort(port, { ...handlers, hieText: (request) => hieTextRequest(hie, request) }, dataPortLog)),
      sources,
      // Another source's data worker: that source's transport and anchor; its wipe order forgets that source only.
      openSourceDataPort: async (services, ticket) => postDataPort(ticket, (port) => serveDataPort(port, sourcePortHandlers(services), dataPortLog)),
      updates,
      setup,
    });
    registerContractHandlers(handlers, createLogger('ipc'));
    mainWindow = createMainWindow(BrowserWindow, join(app.getAppPath(), 'dist', 'preload', 'preload.cjs'), !packaged);
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    await mainWindow.loadURL(appEntryUrl);
    log.info('window loaded');
  });
}
