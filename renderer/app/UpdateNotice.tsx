import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { UpdateStatus } from '../../shared/ipc/contract';
import { useSession, useSyncStatus } from './session-context';
import { useHost } from './shell-context';
import { unsavedInputStore } from './unsaved-input';
import { updateNotice, workInProgress, workReportIntervalMs } from './update-notice';
import type { OtherSourceView } from './other-sources';

const noSources = createStore<Readonly<{ sources: readonly OtherSourceView[] }>>()(() => ({ sources: [] }));

/**
 * An update IT published is ready: the clinician sees it, and what it waits for (unsent entries, a
 * sync writing, unsaved input), or may restart on it. Unlocked, the page reports its work to main
 * whenever it changes and every minute; main installs only when that work is none.
 */
export function UpdateNotice() {
  const { t } = useTranslation();
  const host = useHost();
  const unlocked = useSession((s) => s.view.kind === 'unlocked');
  const pendingEdits = useSyncStatus((s) => s.pendingEdits);
  const phase = useSyncStatus((s) => s.phase);
  const unsaved = useStore(unsavedInputStore, (forms) => forms.size > 0);
  // Another source's sync writes to its own replica: an install waits for it too.
  const sources = useSession((s) => (s.view.kind === 'unlocked' ? s.view.sources : null));
  const sourcesWriting = useStore(sources?.views ?? noSources, (s) => s.sources.some((view) => view.status !== null && view.status.phase !== 'idle'));
  const [status, setStatus] = useState<UpdateStatus>({ state: 'off' });
  const [installing, setInstalling] = useState(false);

  useEffect(() => {
    let live = true;
    const report = (): void => {
      const updates = host.updates();
      const asked = unlocked ? updates.reportWork(workInProgress({ pendingEdits, phase }, unsaved, sourcesWriting)) : updates.status();
      asked.then((next) => live && setStatus(next)).catch(() => undefined);
    };
    report();
    const timer = window.setInterval(report, workReportIntervalMs);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [host, unlocked, pendingEdits, phase, unsaved, sourcesWriting]);

  const notice = updateNotice(status, unlocked);
  if (notice === null) return null;
  const install = async (): Promise<void> => {
    setInstalling(true);
    const next = await host.updates().install().catch(() => status);
    setStatus(next);
    // Still "ready" with something to wait for: the moment passed; the notice says why.
    if (next.state !== 'ready' || next.waitingFor.length > 0) setInstalling(false);
  };
  return (
    <section className="notice update-notice" role="status" aria-label={t('updates.ready', { version: notice.version })}>
      <div>
        <strong>{t('updates.ready', { version: notice.version })}</strong>{' '}
        {installing ? (
          t('updates.installing')
        ) : notice.waits === 'locked' ? (
          t('updates.waitsLocked')
        ) : notice.waits.length > 0 ? (
          <>
            {t('updates.waitsIntro')}
            <ul>
              {notice.waits.map((reason) => (
                <li key={reason}>{t(`updates.wait.${reason}`)}</li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
      {!installing && notice.waits !== 'locked' && notice.waits.length === 0 && (
        <button type="button" className="button button--primary" onClick={() => void install()}>
          {t('updates.installNow')}
        </button>
      )}
    </section>
  );
}
