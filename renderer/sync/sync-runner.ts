import { retryDelayMs } from '../../shared/sync/backoff';
import type { SyncProgress, SyncReport } from '../../shared/sync/engine';
import { SyncStop } from '../../shared/hie/errors';
import type { SyncErrorCode, SyncStatusStore } from './sync-status';
import { isStorageFull } from '../db/storage-full';

/**
 * Keeps the replica live: a sync at start, then a light poll every `pollMs` while online (a full
 * pass every `fullEvery` polls, so scope changes are never long unseen), backoff with jitter on
 * errors (never sooner than Retry-After), a pause on 401 until the clinician signs in again, and
 * offline treated as a normal state that ends the moment the network returns.
 */
export type RunnerDeps = Readonly<{
  synchronize(options: { skipIfUnchanged: boolean; onProgress: (p: SyncProgress) => void }): Promise<SyncReport>;
  /** Pending edits and open conflicts, read after each run. */
  counts(): Promise<{ pendingEdits: number; openConflicts: number }>;
  status: SyncStatusStore;
  network: Readonly<{ online(): boolean; subscribe(listener: (online: boolean) => void): () => void }>;
  timers?: Readonly<{ set(fn: () => void, ms: number): unknown; clear(handle: unknown): void }>;
  random?: () => number;
  now?: () => Date;
  pollMs?: number;
  fullEvery?: number;
  /** The HIE ordered this replica erased (user or device revoked): the app crypto-shreds it. */
  onWipeOrder?: () => Promise<void>;
}>;

export type SyncRunner = Readonly<{
  start(): void;
  stop(): void;
  /** Run now (after a local edit, or when the clinician asks). */
  syncNow(): void;
  /** After a successful sign-in: clear the 401 pause and run. */
  resume(): void;
  /** Resolves when the current run (if any) has finished. */
  settled(): Promise<void>;
}>;

const defaultTimers = {
  set: (fn: () => void, ms: number): unknown => setTimeout(fn, ms),
  clear: (handle: unknown): void => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function errorCode(error: unknown): SyncErrorCode {
  if (error instanceof SyncStop) return error.code === 'OFFLINE' ? 'INTERNAL' : error.code;
  if (isStorageFull(error)) return 'LOCAL_STORAGE';
  return 'INTERNAL';
}

export function createSyncRunner(deps: RunnerDeps): SyncRunner {
  const timers = deps.timers ?? defaultTimers;
  const random = deps.random ?? Math.random;
  const now = deps.now ?? (() => new Date());
  const pollMs = deps.pollMs ?? 2_000;
  const fullEvery = deps.fullEvery ?? 30;
  const set = deps.status.setState;

  let timer: unknown = null;
  let running: Promise<void> | null = null;
  let stopped = true;
  let paused = false;
  let failures = 0;
  let polls = 0;
  let forceFull = true;
  let rerun = false;

  const schedule = (ms: number): void => {
    if (timer !== null) timers.clear(timer);
    timer = timers.set(() => {
      timer = null;
      trigger();
    }, ms);
    set({ nextAttemptAt: new Date(now().getTime() + ms).toISOString() });
  };

  const refreshCounts = async (): Promise<void> => {
    try {
      set(await deps.counts());
    } catch {
      // The counts are a display; a failure to read them must not stop sync.
    }
  };

  const runOnce = async (): Promise<void> => {
    const full = forceFull || polls % fullEvery === 0;
    polls += 1;
    try {
      const report = await deps.synchronize({
        skipIfUnchanged: !full,
        onProgress: (progress) => set({ phase: progress.phase, progress: { received: progress.received, total: progress.total, resumedFrom: progress.resumedFrom ?? 0, patients: progress.patients, type: progress.type ?? null, priority: progress.priority ?? null } }),
      });
      forceFull = false;
      failures = 0;
      // An idle poll is a successful contact with the HIE too: the replica is known to be current.
      set({ phase: 'idle', progress: null, error: null, network: 'online', lastSuccessAt: now().toISOString(), lastReportIdle: report.idle });
      await refreshCounts();
      if (!stopped) schedule(pollMs);
    } catch (error: unknown) {
      await refreshCounts();
      set({ phase: 'idle', progress: null });
      if (error instanceof SyncStop && error.code === 'OFFLINE') {
        set({ network: 'offline', error: null });
        if (!stopped) schedule(pollMs * 5);
        return;
      }
      if (error instanceof SyncStop && error.code === 'WIPE_REQUIRED') {
        paused = true;
        stopped = true;
        set({ wipeOrdered: true, error: 'WIPE_REQUIRED', nextAttemptAt: null });
        await deps.onWipeOrder?.();
        return;
      }
      if (error instanceof SyncStop && error.code === 'AUTH_REQUIRED') {
        paused = true;
        set({ needsSignIn: true, error: 'AUTH_REQUIRED', nextAttemptAt: null });
        return;
      }
      failures += 1;
      forceFull = true;
      set({ error: errorCode(error) });
      if (!stopped) schedule(retryDelayMs(failures, error instanceof SyncStop ? error.retryAfterMs : null, random));
    }
  };

  const trigger = (): void => {
    if (stopped || paused) return;
    if (!deps.network.online()) {
      set({ network: 'offline' });
      return;
    }
    if (running !== null) {
      rerun = true;
      return;
    }
    running = runOnce().finally(() => {
      running = null;
      if (rerun && !stopped && !paused) {
        rerun = false;
        trigger();
      }
    });
  };

  let unsubscribe: (() => void) | null = null;
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      set({ network: deps.network.online() ? 'online' : 'offline' });
      unsubscribe = deps.network.subscribe((online) => {
        set({ network: online ? 'online' : 'offline' });
        if (online) {
          failures = 0;
          trigger();
        } else if (timer !== null) {
          timers.clear(timer);
          timer = null;
        }
      });
      trigger();
    },
    stop() {
      stopped = true;
      unsubscribe?.();
      unsubscribe = null;
      if (timer !== null) timers.clear(timer);
      timer = null;
    },
    syncNow() {
      forceFull = true;
      trigger();
    },
    resume() {
      paused = false;
      forceFull = true;
      set({ needsSignIn: false, error: null });
      trigger();
    },
    async settled() {
      while (running !== null) await running;
    },
  };
}
