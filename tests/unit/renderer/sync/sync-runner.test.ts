import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncReport } from '../../../../shared/sync/engine';
import { SyncStop } from '../../../../shared/hie/errors';
import { createSyncRunner } from '../../../../renderer/sync/sync-runner';
import { createSyncStatusStore } from '../../../../renderer/sync/sync-status';

const report = (idle = false): SyncReport => ({
  idle, auditUploaded: 0, auditRedacted: 0, patients: 3, purged: 0, refetched: 0, backfilled: 0, dayPatients: 0, emergencyPatients: [], refused: 0, pull: {},
  push: { sent: 0, merged: 0, conflicts: 0, refused: 0, transactions: 0 },
  deletions: { deleted: 0, pages: 0, keptForConflict: 0, scopeChanged: false },
});

function setup(outcomes: Array<SyncReport | Error>) {
  const status = createSyncStatusStore();
  let online = true;
  const listeners = new Set<(o: boolean) => void>();
  const calls: boolean[] = [];
  const synchronize = vi.fn(async (o: { skipIfUnchanged: boolean }) => {
    calls.push(o.skipIfUnchanged);
    const next = outcomes.shift() ?? report(true);
    if (next instanceof Error) throw next;
    return next;
  });
  const runner = createSyncRunner({
    synchronize,
    counts: async () => ({ pendingEdits: 2, openConflicts: 1 }),
    status,
    network: { online: () => online, subscribe: (l) => { listeners.add(l); return () => listeners.delete(l); } },
    random: () => 1,
    pollMs: 1000,
    fullEvery: 3,
  });
  const setOnline = (value: boolean) => { online = value; for (const l of listeners) l(value); };
  return { runner, status, synchronize, calls, setOnline };
}

beforeEach(() => { vi.useFakeTimers(); });
afterEach(() => { vi.useRealTimers(); });

describe('sync runner', () => {
  it('runs at start, then polls lightly, with a full pass every few polls', async () => {
    const { runner, status, calls } = setup([report()]);
    runner.start();
    await runner.settled();
    expect(status.getState()).toMatchObject({ error: null, pendingEdits: 2, openConflicts: 1, phase: 'idle' });
    expect(status.getState().lastSuccessAt).not.toBeNull();
    for (let i = 0; i < 4; i += 1) { await vi.advanceTimersByTimeAsync(1000); await runner.settled(); }
    expect(calls).toEqual([false, true, true, false, true]);
    runner.stop();
  });

  it('backs off on server errors, never sooner than Retry-After, then recovers', async () => {
    const { runner, status, synchronize } = setup([new SyncStop('SERVER_BUSY', { retryAfterMs: 20_000 }), report()]);
    runner.start();
    await runner.settled();
    expect(status.getState().error).toBe('SERVER_BUSY');
    await vi.advanceTimersByTimeAsync(19_000);
    expect(synchronize).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await runner.settled();
    expect(synchronize).toHaveBeenCalledTimes(2);
    expect(status.getState().error).toBeNull();
    runner.stop();
  });

  it('pauses on 401 until resumed after sign-in, asking for it', async () => {
    const { runner, status, synchronize } = setup([new SyncStop('AUTH_REQUIRED'), report()]);
    runner.start();
    await runner.settled();
    expect(status.getState()).toMatchObject({ needsSignIn: true, error: 'AUTH_REQUIRED' });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(synchronize).toHaveBeenCalledTimes(1);
    runner.resume();
    await runner.settled();
    expect(synchronize).toHaveBeenCalledTimes(2);
    expect(status.getState()).toMatchObject({ needsSignIn: false, error: null });
    runner.stop();
  });

  it('treats offline as a state, not an error, and syncs as soon as the network returns', async () => {
    const { runner, status, synchronize, setOnline } = setup([new SyncStop('OFFLINE'), report()]);
    runner.start();
    await runner.settled();
    expect(status.getState()).toMatchObject({ network: 'offline', error: null });
    setOnline(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(synchronize).toHaveBeenCalledTimes(1);
    setOnline(true);
    await runner.settled();
    expect(synchronize).toHaveBeenCalledTimes(2);
    expect(status.getState().network).toBe('online');
    runner.stop();
  });

  it('a refused request or a missing HIE configuration is told as what it is, with the network still up', async () => {
    for (const code of ['HIE_REFUSED', 'HIE_NOT_CONFIGURED'] as const) {
      const { runner, status } = setup([new SyncStop(code)]);
      runner.start();
      await runner.settled();
      expect(status.getState()).toMatchObject({ error: code, network: 'online' });
      runner.stop();
    }
  });

  it('reports a full disk as a local storage error', async () => {
    const quota = new Error('no space');
    quota.name = 'QuotaExceededError';
    const { runner, status } = setup([quota]);
    runner.start();
    await runner.settled();
    expect(status.getState().error).toBe('LOCAL_STORAGE');
    runner.stop();
  });

  it('reports a full disk as such when it arrives wrapped, as Dexie delivers it (an AbortError whose inner error is the QuotaExceededError)', async () => {
    const quota = new Error('');
    quota.name = 'QuotaExceededError';
    const abort = Object.assign(new Error('QuotaExceededError '), { name: 'AbortError', inner: quota });
    const { runner, status } = setup([abort]);
    runner.start();
    await runner.settled();
    expect(status.getState().error).toBe('LOCAL_STORAGE');
    runner.stop();
  });

  it('does not call any other abort a full disk', async () => {
    const abort = Object.assign(new Error('Transaction aborted'), { name: 'AbortError', inner: new Error('constraint') });
    const { runner, status } = setup([abort]);
    runner.start();
    await runner.settled();
    expect(status.getState().error).toBe('INTERNAL');
    runner.stop();
  });

  it('coalesces a sync requested during a run into one more run', async () => {
    const { runner, synchronize } = setup([report(), report()]);
    runner.start();
    runner.syncNow();
    runner.syncNow();
    await runner.settled();
    await runner.settled();
    expect(synchronize).toHaveBeenCalledTimes(2);
    runner.stop();
  });
});
