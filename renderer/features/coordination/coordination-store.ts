import { useEffect } from 'react';
import { create } from 'zustand';
import type { Coordination } from '../../../shared/clinical/coordination';
import { useSession, useSyncStatus } from '../../app/session-context';
import { useCoordinationStore, useReplicaRevision, useWorkspace } from '../../app/workspace-context';
import type { RecordReader } from '../../app/workspace';

/**
 * The coordination read model (schedule, threads, referrals, to-dos, what is new), as the data
 * worker builds it. One writer: `loadCoordination`, run by `CoordinationLoader` when the replica
 * changes. Made per workspace: a lock takes it away with the rest of the patient data.
 */
export type CoordinationState = Readonly<{ model: Coordination | null; failed: boolean }>;

export const createCoordinationStore = () => create<CoordinationState>()(() => ({ model: null, failed: false }));
export type CoordinationStore = ReturnType<typeof createCoordinationStore>;

export async function loadCoordination(store: CoordinationStore, replica: Pick<RecordReader, 'coordination'>, now: Date): Promise<void> {
  try {
    store.setState({ model: await replica.coordination(now), failed: false });
  } catch {
    store.setState({ failed: true });
  }
}

/** The model is read again at most this often after replica changes (a live sync's run, an edit). */
export const coordinationRefreshMs = 2_500;
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

/** Marks keys seen, then reads the model again so the counts follow at once. */
export async function markSeen(store: CoordinationStore, replica: Pick<RecordReader, 'markSeen' | 'coordination'>, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await replica.markSeen(keys);
  await loadCoordination(store, replica, new Date());
}
