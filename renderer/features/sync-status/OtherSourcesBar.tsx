import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { useAppState } from '../../app/shell-context';
import type { OtherSources, OtherSourceView } from '../../app/other-sources';
import { useOtherSources } from '../../app/workspace-context';
import { formatRelative } from '../../i18n/format';
import { syncErrorSentence } from '../../sync/sync-status';
import { phaseKey } from './phase-labels';

/**
 * The other FHIR sources (issue 15): for each, whether it is signed in to, how its own sync stands,
 * and what to do (sign in, again). Shown under the HIE's bar only when the policy names any.
 */
export function OtherSourcesBar() {
  const sources = useOtherSources();
  if (sources === null) return null;
  return <Bar sources={sources} />;
}

function Bar({ sources }: Readonly<{ sources: OtherSources }>) {
  const { t } = useTranslation();
  const views = useStore(sources.views, (s) => s.sources);
  if (views.length === 0) return null;
  return (
    <section className="sync-bar sync-bar--sources" aria-label={t('sources.label')}>
      {views.map((view) => (
        <SourceLine key={view.id} view={view} onSignIn={() => void sources.signIn(view.id)} />
      ))}
    </section>
  );
}

function SourceLine({ view, onSignIn }: Readonly<{ view: OtherSourceView; onSignIn: () => void }>) {
  const { t } = useTranslation();
  const language = useAppState((s) => s.language);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const status = view.status;
  const last = status?.lastSuccessAt == null ? null : Date.parse(status.lastSuccessAt);
  const state =
    view.state === 'signed-out'
      ? t('sources.state.signedOut')
      : view.state === 'signing-in'
        ? t('sources.state.signingIn')
        : view.state === 'opening'
          ? t('sources.state.opening')
          : view.state === 'stopped'
            ? t('sources.state.stopped')
            : status !== null && status.phase !== 'idle'
              ? t(phaseKey[status.phase])
              : last === null
                ? t('sync.bar.neverSynced')
                : t('sync.bar.lastSync', { when: formatRelative(Math.min(last, now), now, language) });
  const canSignIn = view.state === 'signed-out' || view.state === 'stopped' || (view.state === 'open' && status?.needsSignIn === true);
  return (
    <div className="sync-bar__item" data-testid={`source-${view.id}`}>
      <strong>{view.label}</strong> — <span role="status">{state}</span>
      {status?.error != null && view.state === 'open' && (
        <span className="sync-bar__error" role="alert">
          {' '}
          {t(syncErrorSentence(status.error))}
        </span>
      )}
      {view.errorKey !== null && (
        <span className="sync-bar__error" role="alert">
          {' '}
          {t(view.errorKey)}
        </span>
      )}
      {canSignIn && (
        <button type="button" className="button button--quiet" onClick={onSignIn}>
          {t('sources.signIn', { source: view.label })}
        </button>
      )}
    </div>
  );
}
