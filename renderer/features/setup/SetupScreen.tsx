import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DiscoveredHie, SetupState } from '../../../shared/ipc/contract';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { useHost } from '../../app/shell-context';
import { Topbar } from '../../app/Topbar';
import { HostError } from '../../host/host';

const setupCodes = ['SETUP_ADDRESS_INVALID', 'SETUP_UNREACHABLE', 'SETUP_NOT_FHIR', 'SETUP_NO_SIGN_IN', 'SETUP_NOT_ALLOWED'] as const;
type SetupCode = (typeof setupCodes)[number];
/** The sentence for a failed check: its own for each setup code, a general one for anything else. */
const errorKeyOf = (error: unknown): `setup.error.${SetupCode | 'other'}` =>
  error instanceof HostError && (setupCodes as readonly string[]).includes(error.code) ? `setup.error.${error.code as SetupCode}` : 'setup.error.other';

/**
 * What a packaged Relais shows when it knows no HIE (issue 16, point 4): never a demo. Without
 * IT's leave, only who to call; where IT's policy allows it, an administrator enters the HIE's
 * address, sees what discovery found there, and confirms it (Relais then restarts on it).
 */
export function SetupApp({ setup }: Readonly<{ setup: Exclude<SetupState, { state: 'ready' }> }>) {
  const { t } = useTranslation();
  return (
    <>
      <Topbar>
        <LanguageSwitch />
      </Topbar>
      <main id="content" className="content content--gate" tabIndex={-1}>
        <section className="gate" aria-labelledby="setup-title">
          <h1 id="setup-title">{t('setup.title')}</h1>
          {setup.state === 'contact-it' ? (
            <>
              <p>{t(setup.reason === 'invalid-policy' ? 'setup.invalidPolicy' : 'setup.notConfigured')}</p>
              <p>
                <strong>{t('setup.contactIt')}</strong>
              </p>
            </>
          ) : (
            <AdminEntry />
          )}
        </section>
      </main>
    </>
  );
}

function AdminEntry() {
  const { t } = useTranslation();
  const host = useHost();
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [errorKey, setErrorKey] = useState<ReturnType<typeof errorKeyOf> | null>(null);
  const [found, setFound] = useState<DiscoveredHie | null>(null);
  const [restarting, setRestarting] = useState(false);

  const check = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setErrorKey(null);
    try {
      setFound(await host.discoverHie(address));
    } catch (error: unknown) {
      setErrorKey(errorKeyOf(error));
    } finally {
      setBusy(false);
    }
  };
  const confirm = async (): Promise<void> => {
    if (found === null) return;
    setBusy(true);
    setErrorKey(null);
    try {
      await host.confirmHie(found.fhirBase);
      setRestarting(true);
    } catch (error: unknown) {
      setErrorKey(errorKeyOf(error));
      setFound(null);
    } finally {
      setBusy(false);
    }
  };

  if (restarting) return <p role="status">{t('setup.restarting')}</p>;
  return (
    <>
      <p>{t('setup.adminIntro')}</p>
      {found === null ? (
        <form autoComplete="off" onSubmit={(event) => void check(event)} noValidate>
          <div className="field">
            <label htmlFor={inputId}>{t('setup.addressLabel')}</label>
            <input
              id={inputId}
              type="url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              value={address}
              aria-describedby={errorKey === null ? hintId : `${hintId} ${errorId}`}
              aria-invalid={errorKey !== null || undefined}
              onChange={(event) => setAddress(event.target.value)}
            />
            <p id={hintId} className="hint">
              {t('setup.addressHint')}
            </p>
          </div>
          {errorKey !== null && (
            <p id={errorId} className="alert" role="alert">
              {t(errorKey)}
            </p>
          )}
          <button type="submit" className="button button--primary" disabled={busy || address.trim() === ''}>
            {busy ? t('setup.checking') : t('setup.check')}
          </button>
        </form>
      ) : (
        <div aria-labelledby="setup-found-title" role="group">
          <h2 id="setup-found-title">{t('setup.foundTitle')}</h2>
          <dl className="setup-found">
            <dt>{t('setup.foundAddress')}</dt>
            <dd>{found.fhirBase}</dd>
            <dt>{t('setup.foundName')}</dt>
            <dd>{found.name ?? t('setup.unnamed')}</dd>
            <dt>{t('setup.foundSoftware')}</dt>
            <dd>{found.software ?? t('setup.unnamed')}</dd>
            <dt>{t('setup.foundVersion')}</dt>
            <dd>{found.fhirVersion}</dd>
            <dt>{t('setup.foundProvider')}</dt>
            <dd>{found.identityProvider}</dd>
          </dl>
          <p>{t('setup.confirmQuestion')}</p>
          {errorKey !== null && (
            <p className="alert" role="alert">
              {t(errorKey)}
            </p>
          )}
          <div className="setup-actions">
            <button type="button" className="button button--primary" disabled={busy} onClick={() => void confirm()}>
              {t('setup.confirm')}
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => setFound(null)}>
              {t('setup.change')}
            </button>
          </div>
        </div>
      )}
    </>
  );
}
