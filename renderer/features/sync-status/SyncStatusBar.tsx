import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSessionController, useSyncStatus } from '../../app/session-context';
import { useAppState } from '../../app/shell-context';
import { formatRelative } from '../../i18n/format';
import { syncErrorSentence } from '../../sync/sync-status';
import { phaseKey } from './phase-labels';

/**
 * Always visible while unlocked: whether the HIE is reachable, the last successful sync, what is
 * waiting (edits to send, conflicts to review) and any error as a sentence saying what to do.
 */
export function SyncStatusBar(props: Readonly<{ onReviewConflicts?: () => void }>) {
  const { t } = useTranslation();
  const language = useAppState((s) => s.language);
  const online = useAppState((s) => s.online);
  const controller = useSessionController();
  const status = useSyncStatus((s) => s);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const last = status.lastSuccessAt === null ? null : Date.parse(status.lastSuccessAt);
  const reachable = online && status.network === 'online';
  return (
    <section className="sync-bar" aria-label={t('sync.bar.label')}>
      <p className="sync-bar__item">
        <span className={`dot dot--${reachable ? 'ok' : 'warn'}`} aria-hidden="true" />
        {reachable ? t('sync.bar.hieReachable') : online ? t('sync.bar.hieUnreachable') : t('sync.bar.offline')}
      </p>
      <p className="sync-bar__item" data-testid="last-sync">
        {last === null ? t('sync.bar.neverSynced') : t('sync.bar.lastSync', { when: formatRelative(Math.min(last, now), now, language) })}
      </p>
      {status.phase !== 'idle' && <p className="sync-bar__item">{t(phaseKey[status.phase])}</p>}
      <p className="sync-bar__item">{status.pendingEdits === 0 ? t('sync.bar.noPending') : t('sync.bar.pending', { n: status.pendingEdits })}</p>
      {status.openConflicts > 0 && (
        <button type="button" className="sync-bar__item button button--danger" onClick={props.onReviewConflicts}>
          {t('sync.bar.conflicts', { n: status.openConflicts })}
        </button>
      )}
      {status.refusedRecords > 0 && (
        <p className="sync-bar__item" role="status" data-testid="refused-records">
          {t('sync.bar.refused', { count: status.refusedRecords })}
        </p>
      )}
      {status.error !== null && (
        <p className="sync-bar__error" role="alert">
          {t(syncErrorSentence(status.error))}
        </p>
      )}
      {status.needsSignIn && (
        <button type="button" className="button button--primary" onClick={() => void controller.signInAgain()}>
          {t('sync.bar.signInAgain')}
        </button>
      )}
    </section>
  );
}
