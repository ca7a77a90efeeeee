import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { create } from 'zustand';
import type { Coordination } from '../../../shared/clinical/coordination';
import { useSession, useSyncStatus } from '../../app/session-context';
import { useCoordination, useCoordinationStore, useReplicaRevision, useWorkspace } from '../../app/workspace-context';
import type { RecordReader } from '../../app/workspace';

/**
 * The coordination read model (schedule, threads, referrals, to-dos, what is new), as the data
 * worker builds it. One writer: `loadCoordination`, run by `CoordinationLoader` when the replica
 * changes. Made per workspace: a lock takes it away with the rest of the patient data.
 */
export type CoordinationState = Readonly<{ model: Coordination | null; failed: boolean }>;

export const createCoordinationStore = () => create<CoordinationState>()(() => ({ model: null, failed: false }));
export type CoordinationStore = ReturnType<typeof createCoordinationStore>;

/** The latest read asked of each store: an answer to an older one is dropped (reads may finish out of order). */
const generations = new WeakMap<CoordinationStore, number>();

export async function loadCoordination(store: CoordinationStore, replica: Pick<RecordReader, 'coordination'>, now: Date): Promise<void> {
  const generation = (generations.get(store) ?? 0) + 1;
  generations.set(store, generation);
  try {
    const model = await replica.coordination(now);
    const held = store.getState();
    // The same model (the data side said nothing changed): nothing is drawn again.
    if (generations.get(store) === generation && (model !== held.model || held.failed)) store.setState({ model, failed: false });
  } catch {
    if (generations.get(store) === generation) store.setState({ failed: true });
  }
}

/** The model is read again at most this often after replica changes (a live sync's run, an edit). */
export const coordinationRefreshMs = 1_000;
/**
 * During the first sync, pages land every few hundred ms and each read decrypts every appointment,
 * message and task: at most this often then (measured at 500k: reading every 2.5 s slowed the whole
 * first sync), and at once when the day's patients are ready.
 */
export const initialSyncRefreshMs = 20_000;

/** Keeps the read model current: at once, then after each replica change (throttled), and each minute (the day moves on). */
export function CoordinationLoader() {
  const workspace = useWorkspace();
  const store = useCoordinationStore();
  const revision = useReplicaRevision();
  const initialDone = useSession((s) => s.initialSyncDone);
  const dayReady = useSyncStatus((s) => s.progress?.priority != null && s.progress.priority.total > 0 && s.progress.priority.ready === s.progress.priority.total);
  const refreshMs = initialDone ? coordinationRefreshMs : initialSyncRefreshMs;
  useEffect(() => {
    if (!dayReady) return;
    lastLoad.set(store, Date.now());
    void loadCoordination(store, workspace.replica, new Date());
  }, [dayReady, store, workspace]);
  useEffect(() => {
    let cancelled = false;
    const last = lastLoad.get(store) ?? 0;
    const wait = Math.max(0, last + refreshMs - Date.now());
    const timer = setTimeout(() => {
      if (cancelled) return;
      lastLoad.set(store, Date.now());
      void loadCoordination(store, workspace.replica, new Date());
    }, wait);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [workspace, store, revision, refreshMs]);
  useEffect(() => {
    const timer = setInterval(() => void loadCoordination(store, workspace.replica, new Date()), 60_000);
    return () => clearInterval(timer);
  }, [workspace, store]);
  return null;
}

const lastLoad = new WeakMap<CoordinationStore, number>();

/** Marks keys seen (in chunks the contract accepts), then reads the model again so the counts follow at once. */
export async function markSeen(store: CoordinationStore, replica: Pick<RecordReader, 'markSeen' | 'coordination'>, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  for (let at = 0; at < keys.length; at += 5_000) await replica.markSeen(keys.slice(at, at + 5_000));
  await loadCoordination(store, replica, new Date());
}

/** While the model is not there: "reading…", or, when the read failed, a sentence and a way to try again. */
export function CoordinationPending() {
  const { t } = useTranslation();
  const failed = useCoordination((s) => s.failed);
  const store = useCoordinationStore();
  const workspace = useWorkspace();
  if (!failed) return <p role="status">{t('day.loading')}</p>;
  return (
    <div className="alert" role="alert">
      <p>{t('day.readFailed')}</p>
      <button type="button" className="button" onClick={() => void loadCoordination(store, workspace.replica, new Date())}>
        {t('day.retry')}
      </button>
    </div>
  );
}
