import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createHost } from '@relais/host';
import type { WebCrypto } from '../shared/crypto/webcrypto';
import { App } from './app/App';
import { createAppStore, followNetwork } from './app/app-store';
import { dataWorkers, lockedSyncWorkers } from './app/data-worker-launch';
import { startLockedSync } from './app/locked-sync-client';
import { createSessionController } from './app/session-controller';
import { SessionProvider } from './app/session-context';
import { createSessionStore } from './app/session-store';
import { ShellProvider } from './app/shell-context';
import { SetupApp } from './features/setup/SetupScreen';
import type { SetupState } from '../shared/ipc/contract';
import { readIdleMinutes } from './features/unlock/idle-lock';
import { createVaultStore } from './features/unlock/vault-store';
import { createI18n, preferredLanguage } from './i18n/i18n';
import { createSyncStatusStore } from './sync/sync-status';
import 'uplot/dist/uPlot.min.css';
import './styles.css';

async function start(): Promise<void> {
  const host = createHost();
  // A window that only carried another source's sign-in back to its opener: it is closing.
  if (host.relayed()) return;
  const saved = await host.loadLanguage().catch(() => null);
  const language = preferredLanguage(saved, navigator.languages);
  document.documentElement.lang = language;
  const i18n = await createI18n(language);
  // IT's display policy; a host that cannot say keeps the built-in identifier order.
  const policy = await host.displayPolicy().catch(() => ({ identifierPriority: null, messageAttachmentMaxBytes: null, imagingViewerUrl: null, linkIdentifierSystems: null, idleLockMaxMinutes: null, idleLockDefaultMinutes: null, passphraseMinLength: null }));
  const idleBounds = { maxMinutes: policy.idleLockMaxMinutes, defaultMinutes: policy.idleLockDefaultMinutes };
  const store = createAppStore({
    online: navigator.onLine,
    language,
    identifierPriority: policy.identifierPriority,
    messageAttachmentMaxBytes: policy.messageAttachmentMaxBytes,
    imagingViewerUrl: policy.imagingViewerUrl,
    linkIdentifierSystems: policy.linkIdentifierSystems,
    idleBounds,
    passphraseMinLength: policy.passphraseMinLength,
  });
  followNetwork(store, window);
  const container = document.getElementById('root');
  if (container === null) throw new Error('#root is missing from index.html');
  // No HIE (a packaged build without one in IT's policy): the setup screen, never a demo. A host that cannot say is treated as not set up.
  const setup = await host.setup().catch((): SetupState => ({ state: 'contact-it', reason: 'not-configured' }));
  if (setup.state !== 'ready') {
    createRoot(container).render(
      <StrictMode>
        <I18nextProvider i18n={i18n}>
          <ShellProvider host={host} store={store}>
            <SetupApp setup={setup} />
          </ShellProvider>
        </I18nextProvider>
      </StrictMode>,
    );
    return;
  }
  const session = createSessionStore({ idleMinutes: readIdleMinutes(window.localStorage, idleBounds) });
  const status = createSyncStatusStore();
  const lockedWorkers = lockedSyncWorkers(() => host.dataPort());
  const controller = createSessionController({
    host,
    // The page's WebCrypto, typed as the slice shared/ uses (shared/ has no DOM types).
    crypto: window.crypto as unknown as WebCrypto,
    vaults: createVaultStore(window.indexedDB),
    store: session,
    status,
    window,
    startDataSide: dataWorkers(() => host.dataPort()),
    // Another source's sync while locked: that source's port (Electron: main's, for that source) and services.
    startLockedSync: async (request, events, source) => startLockedSync(await lockedWorkers(source?.platformPort), source?.services ?? host, window, request, events),
  });
  createRoot(container).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <ShellProvider host={host} store={store}>
          <SessionProvider controller={controller} store={session} status={status}>
            <App />
          </SessionProvider>
        </ShellProvider>
      </I18nextProvider>
    </StrictMode>,
  );
  await controller.start();
}

void start();
