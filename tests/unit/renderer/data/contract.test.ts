import { describe, expect, it } from 'vitest';
import { syncStatusSchema } from '../../../../renderer/data/contract';
import { initialSyncStatus, syncErrorCodes } from '../../../../renderer/sync/sync-status';

/** The status snapshot the data worker emits on every change: a state it cannot carry would stop the event (and the sync with it). */
describe('the data contract’s sync status', () => {
  it('carries every state the status store can hold: the initial one, every error code, a run in progress', () => {
    expect(syncStatusSchema.safeParse(initialSyncStatus).success).toBe(true);
    for (const error of syncErrorCodes) expect(syncStatusSchema.safeParse({ ...initialSyncStatus, error }).success, error).toBe(true);
    const pulling = { ...initialSyncStatus, phase: 'pull', progress: { received: 1_200, total: 50_002, resumedFrom: 0, patients: 250, type: 'Observation', priority: { ready: 12, total: 12 } }, nextAttemptAt: new Date().toISOString() };
    expect(syncStatusSchema.safeParse(pulling).success).toBe(true);
  });

  it('refuses what the store never holds (an unknown code, an extra field)', () => {
    expect(syncStatusSchema.safeParse({ ...initialSyncStatus, error: 'SOMETHING_ELSE' }).success).toBe(false);
    expect(syncStatusSchema.safeParse({ ...initialSyncStatus, patientName: 'DUPONT' }).success).toBe(false);
  });
});
