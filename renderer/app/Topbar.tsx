import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The frame's top: the skip link, the name, and the statuses and controls given (the app's, or the setup screen's). */
export function Topbar({ children }: Readonly<{ children: ReactNode }>) {
  const { t } = useTranslation();
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
        <div className="topbar__status">{children}</div>
      </header>
    </>
  );
}
