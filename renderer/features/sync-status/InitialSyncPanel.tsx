import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession, useSyncStatus } from '../../app/session-context';
import { useAppState } from '../../app/shell-context';
import { formatNumber, formatRelative } from '../../i18n/format';
import { phaseKey } from './phase-labels';
import { createProgressEstimator, fractionOf } from './progress-estimate';

/**
 * Shown until the first complete sync has finished on this device (it resumes after a restart
 * from the replica's checkpoints): a progress bar, patients and resources counted, the phase,
 * and a time-left estimate.
 */
export function InitialSyncPanel() {
  const { t } = useTranslation();
  const language = useAppState((s) => s.language);
  const done = useSession((s) => s.initialSyncDone);
  const phase = useSyncStatus((s) => s.phase);
  const progress = useSyncStatus((s) => s.progress);
  const network = useSyncStatus((s) => s.network);
  const [estimator] = useState(createProgressEstimator);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    // The pace is measured on the pull only; a run that ends starts the measurement afresh.
    if (phase === 'pull' && progress !== null) estimator.observe(progress, Date.now());
    if (phase === 'idle') estimator.reset();
  }, [estimator, phase, progress]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);

  if (done) return null;
  // A time left only while receiving; how far, whatever the step.
  const view = phase === 'pull' ? estimator.view(now) : { fraction: progress === null ? null : fractionOf(progress), remainingMs: null };
  const percent = view.fraction === null ? null : Math.round(view.fraction * 100);
  return (
    <section
      className="initial-sync"
      aria-labelledby="initial-sync-title"
      // Read by the first-sync bench (npm run bench:sync) to check the estimate against the real end.
      data-received={progress?.received ?? 0}
      data-total={progress?.total ?? ''}
      data-remaining-ms={view.remainingMs ?? ''}
    >
      <h2 id="initial-sync-title">{t('sync.initial.title')}</h2>
      <p>{t('sync.initial.intro')}</p>
      <progress
        className="initial-sync__bar"
        aria-labelledby="initial-sync-title"
        max={100}
        {...(percent === null ? {} : { value: percent })}
        aria-valuetext={percent === null ? t('sync.initial.unknownTotal') : t('sync.initial.percent', { percent })}
      />
      <dl className="initial-sync__facts">
        <div>
          <dt>{t('sync.initial.phase')}</dt>
          <dd>{network === 'offline' ? t('sync.initial.waitingNetwork') : t(phaseKey[phase])}</dd>
        </div>
        <div>
          <dt>{t('sync.initial.patients')}</dt>
          <dd>{formatNumber(progress?.patients ?? 0, language)}</dd>
        </div>
        {progress?.priority != null && (
          <div data-testid="day-patients" data-ready={progress.priority.ready} data-total={progress.priority.total}>
            <dt>{t('sync.initial.dayPatients')}</dt>
            <dd>
              {progress.priority.total === 0
                ? t('sync.initial.dayNone')
                : progress.priority.ready === progress.priority.total
                  ? t('sync.initial.dayReady', { count: progress.priority.total })
                  : t('sync.initial.dayProgress', { ready: formatNumber(progress.priority.ready, language), total: formatNumber(progress.priority.total, language) })}
            </dd>
          </div>
        )}
        <div>
          <dt>{t('sync.initial.resources')}</dt>
          <dd>
            {progress?.total != null
              ? t('sync.initial.resourcesOf', { received: formatNumber(progress.received, language), total: formatNumber(progress.total, language) })
              : formatNumber(progress?.received ?? 0, language)}
          </dd>
        </div>
        <div>
          <dt>{t('sync.initial.remaining')}</dt>
          <dd>{view.remainingMs === null ? t('sync.initial.estimating') : formatRelative(now + view.remainingMs, now, language)}</dd>
        </div>
      </dl>
      <p className="hint">{t('sync.initial.resumeHint')}</p>
    </section>
  );
}
