import { describe, expect, it } from 'vitest';
import { gateReplica, WorkspaceLockedError } from '../../../../renderer/sync/gated-replica';
import { memoryReplica } from '../../../support/memory-replica';

describe('the replica as sync sees it, gated by the lock', () => {
  it('passes calls through while open, and refuses every call once closed', async () => {
    const replica = memoryReplica();
    await replica.writeCheckpoint('Patient', { lastUpdated: 'x', ids: [] });
    const audit = { pending: async () => [], markUploaded: async () => undefined };
    const gate = gateReplica(replica, audit);
    expect(await gate.store.readCheckpoint('Patient')).toEqual({ lastUpdated: 'x', ids: [] });
    gate.close();
    await expect(gate.store.readCheckpoint('Patient')).rejects.toBeInstanceOf(WorkspaceLockedError);
    await expect(gate.store.putServerResources([])).rejects.toBeInstanceOf(WorkspaceLockedError);
    await expect(gate.audit!.pending()).rejects.toBeInstanceOf(WorkspaceLockedError);
    // A read-only source's replica has no trail to send: none is given, none comes out.
    expect(gateReplica(replica, undefined).audit).toBeUndefined();
  });
});
