import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession, useSessionController } from '../../app/session-context';
import { useAppState } from '../../app/shell-context';
import { formatNumber } from '../../i18n/format';
import { PassphraseField } from './PassphraseField';

/** Refusals only an online sign-in lifts. */
const needsSignIn = new Set(['unlock.error.signInRequired', 'unlock.error.leaseExpired']);
const reasonKey = { start: 'unlock.reason.start', idle: 'unlock.reason.idle', manual: 'unlock.reason.manual' } as const;
/** The sync while locked, as a sentence (literal keys, so the catalogue test checks them). */
const lockedSyncKey = {
  receiving: 'unlock.lockedSync.receiving',
  'caught-up': 'unlock.lockedSync.caught-up',
  offline: 'unlock.lockedSync.offline',
  'sign-in': 'unlock.lockedSync.sign-in',
  retrying: 'unlock.lockedSync.retrying',
  'storage-full': 'unlock.lockedSync.storage-full',
  stopped: 'unlock.lockedSync.stopped',
} as const;
/** Another source's sync while locked, as a sentence naming it. */
const lockedSourceKey = {
  receiving: 'unlock.lockedSource.receiving',
  'caught-up': 'unlock.lockedSource.caught-up',
  offline: 'unlock.lockedSource.offline',
  'sign-in': 'unlock.lockedSource.sign-in',
  retrying: 'unlock.lockedSource.retrying',
  'storage-full': 'unlock.lockedSource.storage-full',
  stopped: 'unlock.lockedSource.stopped',
  wiped: 'unlock.lockedSource.wiped',
} as const;

/** Every later start, and after a lock: the passphrase opens the replica, with or without network. */
export function UnlockScreen() {
  const { t } = useTranslation();
  const controller = useSessionController();
  const view = useSession((s) => s.view);
  const idleMinutes = useSession((s) => s.idleMinutes);
  const lockedSync = useSession((s) => s.lockedSync);
  const lockedSources = useSession((s) => s.lockedSources);
  const language = useAppState((s) => s.language);
  const [passphrase, setPassphrase] = useState('');
  if (view.kind !== 'locked') return null;
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (passphrase === '') return;
    const typed = passphrase;
    setPassphrase('');
    void controller.unlock(typed);
  };
  return (
    <section className="gate" aria-labelledby="unlock-title">
      <h1 id="unlock-title">{t('unlock.title')}</h1>
      <p>{t(reasonKey[view.reason], { minutes: idleMinutes })}</p>
      <form onSubmit={submit}>
        <PassphraseField label={t('unlock.passphrase')} value={passphrase} onChange={setPassphrase} autoComplete="current-password" autoFocus />
        {view.errorKey !== null && (
          <p className="alert" role="alert">
            {t(view.errorKey)}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={view.busy}>
          {view.busy ? t('unlock.busy') : t('unlock.submit')}
        </button>
      </form>
      {view.busy && view.upgrade !== undefined && (
        <div className="hint" role="status" data-testid="replica-upgrade">
          <progress max={Math.max(1, view.upgrade.total)} value={view.upgrade.moved} aria-label={t('unlock.busy')} />
          <p>
            {t('unlock.upgrading', {
              percent: view.upgrade.total === 0 ? 100 : Math.floor((view.upgrade.moved * 100) / view.upgrade.total),
              moved: formatNumber(view.upgrade.moved, language),
              total: formatNumber(view.upgrade.total, language),
            })}
          </p>
        </div>
      )}
      {view.errorKey !== null && needsSignIn.has(view.errorKey) && (
        <button type="button" className="button" disabled={view.busy} onClick={() => void controller.signInToUnlock()}>
          {t('unlock.signIn')}
        </button>
      )}
      {lockedSync !== null && (
        <p className="hint" role="status" data-testid="locked-sync">
          {t(lockedSyncKey[lockedSync.state], { count: lockedSync.received })}
        </p>
      )}
      {lockedSources.map((source) => (
        <p key={source.id} className="hint" role="status" data-testid={`locked-sync-${source.id}`}>
          {t(lockedSourceKey[source.state], { source: source.label, count: source.received })}
        </p>
      ))}
      <p className="hint">{t('unlock.offline')}</p>
    </section>
  );
}
