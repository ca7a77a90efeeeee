import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session-context';

/** Keys cannot be held on this computer (no OS keychain): nothing opens, and IT is told what to fix. */
export function UnavailableScreen() {
  const { t } = useTranslation();
  const view = useSession((s) => s.view);
  if (view.kind !== 'unavailable') return null;
  return (
    <section className="gate" aria-labelledby="unavailable-title">
      <h1 id="unavailable-title">{t('unlock.unavailableTitle')}</h1>
      <p className="alert" role="alert">
        {t(view.errorKey)}
      </p>
    </section>
  );
}
