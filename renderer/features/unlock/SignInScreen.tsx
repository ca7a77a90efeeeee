import { useTranslation } from 'react-i18next';
import { useSession, useSessionController } from '../../app/session-context';

/** First run: the clinician signs in to the HIE (its own login page), then chooses a passphrase. */
export function SignInScreen() {
  const { t } = useTranslation();
  const controller = useSessionController();
  const view = useSession((s) => s.view);
  const busy = view.kind === 'sign-in' && view.busy;
  const errorKey = view.kind === 'sign-in' ? view.errorKey : null;
  return (
    <section className="gate" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <p>{t('signIn.intro')}</p>
      <ol className="gate__steps">
        <li>{t('signIn.step1')}</li>
        <li>{t('signIn.step2')}</li>
        <li>{t('signIn.step3')}</li>
      </ol>
      {errorKey !== null && (
        <p className="alert" role="alert">
          {t(errorKey)}
        </p>
      )}
      <button type="button" className="button button--primary" disabled={busy} onClick={() => void controller.signIn()}>
        {busy ? t('signIn.busy') : t('signIn.action')}
      </button>
    </section>
  );
}
