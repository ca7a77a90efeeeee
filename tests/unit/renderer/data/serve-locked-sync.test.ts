import { describe, expect, it } from 'vitest';
import { SyncStop } from '../../../../shared/hie/errors';
import { afterFailure } from '../../../../renderer/data/serve-locked-sync';

const half = () => 0.5;

describe('the locked sync after a pass that failed', () => {
  it('waits for the network when offline, stops for a sign-in or a full disk (said on the locked screen), wipes on a wipe order', () => {
    expect(afterFailure(new SyncStop('OFFLINE'), 1, half)).toEqual({ kind: 'wait', state: 'offline', waitMs: 30_000 });
    expect(afterFailure(new SyncStop('AUTH_REQUIRED'), 1, half)).toEqual({ kind: 'stop', state: 'sign-in' });
    expect(afterFailure(new SyncStop('WIPE_REQUIRED'), 1, half)).toEqual({ kind: 'wipe' });
    // A full disk as IndexedDB reports it, wrapped as Dexie wraps it (db/storage-full.ts reads the chain).
    const quota = Object.assign(new Error('AbortError'), { name: 'AbortError', inner: Object.assign(new Error('full'), { name: 'QuotaExceededError' }) });
    expect(afterFailure(quota, 1, half)).toEqual({ kind: 'stop', state: 'storage-full' });
  });

  it('retries anything else with growing backoff, never sooner than the HIE’s Retry-After', () => {
    const first = afterFailure(new SyncStop('SERVER_ERROR'), 1, half);
    const fifth = afterFailure(new SyncStop('SERVER_ERROR'), 5, half);
    expect(first.kind === 'wait' && fifth.kind === 'wait' && fifth.waitMs > first.waitMs).toBe(true);
    expect(afterFailure(new SyncStop('SERVER_BUSY', { retryAfterMs: 90_000 }), 1, half)).toEqual({ kind: 'wait', state: 'retrying', waitMs: 90_000 });
    expect(afterFailure(new Error('anything'), 1, half)).toMatchObject({ kind: 'wait', state: 'retrying' });
  });
});
