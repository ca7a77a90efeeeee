import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch';
import { NetworkIndicator } from './NetworkIndicator';
import { useAppState } from './shell-context';

/** The app frame: the name, the always-visible status, and the page. */
export function App() {
  const { t } = useTranslation();
  const online = useAppState((s) => s.online);
  const errorKey = useAppState((s) => s.errorKey);
  return (
    <>
      <a className="skip-link" href="#content">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand__name">{t('app.name')}</span>
          <span className="brand__tagline">{t('app.tagline')}</span>
        </div>
        <div className="topbar__status">
          <NetworkIndicator />
          <LanguageSwitch />
        </div>
      </header>
      <main id="content" className="content" tabIndex={-1}>
        {errorKey !== null && (
          <p className="alert" role="alert">
            {t(errorKey)}
          </p>
        )}
        {!online && <p className="notice">{t('network.offlineHint')}</p>}
        <h1>{t('home.title')}</h1>
        <p>{t('home.empty')}</p>
        <p>{t('home.next')}</p>
      </main>
    </>
  );
}
