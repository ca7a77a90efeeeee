import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createHost } from '@relais/host';
import { App } from './app/App';
import { createAppStore, followNetwork } from './app/app-store';
import { ShellProvider } from './app/shell-context';
import { createI18n, preferredLanguage } from './i18n/i18n';
import { I18nextProvider } from 'react-i18next';
import './styles.css';

async function start(): Promise<void> {
  const host = createHost();
  const saved = await host.loadLanguage().catch(() => null);
  const language = preferredLanguage(saved, navigator.languages);
  document.documentElement.lang = language;
  const i18n = await createI18n(language);
  const store = createAppStore({ online: navigator.onLine, language });
  followNetwork(store, window);
  const container = document.getElementById('root');
  if (container === null) throw new Error('#root is missing from index.html');
  createRoot(container).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <ShellProvider host={host} store={store}>
          <App />
        </ShellProvider>
      </I18nextProvider>
    </StrictMode>,
  );
}

void start();
