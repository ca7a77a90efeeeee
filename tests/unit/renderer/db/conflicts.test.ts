import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import type { ConflictRecord, OutboxEntry } from '../../../../shared/sync/ports';
import { ConflictNotOpenError } from '../../../../renderer/db/errors';
import type { Replica } from '../../../../renderer/db/replica';
import { makeVault, observation, openTestReplica, uniqueName } from './fixtures';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});

const base = observation('o1', 'p1', 'base');
const local = { ...observation('o1', 'p1', 'mine'), status: 'amended' };
const remote = observation('o1', 'p1', 'theirs', 'v2');

async function inConflict(remoteVersion: typeof remote | null = remote): Promise<{ replica: Replica; entry: OutboxEntry; conflict: ConflictRecord }> {
  const replica = await openTestReplica(uniqueName('conflict'), vault);
  await replica.putServerResources([{ resource: base, patient: 'Patient/p1' }]);
  const entry = (await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: local, patient: 'Patient/p1' }))!;
  const conflict: ConflictRecord = {
    id: 'c-1', ref: 'Observation/o1', patient: 'Patient/p1', outboxId: entry.id, base, local, remote: remoteVersion,
    fields: ['code'], state: 'open', createdAt: '2025-03-05T09:00:00.000Z',
  };
  await replica.openConflict(conflict);
  return { replica, entry, conflict };
}

describe('openConflict', () => {
  it('parks the entry, keeps the local edit in the replica, and lists the conflict', async () => {
    const { replica, entry, conflict } = await inConflict();
    expect(await replica.listConflicts()).toEqual([conflict]);
    expect(await replica.outbox()).toEqual([{ ...entry, state: 'conflict' }]);
    expect(await replica.getResource('Observation/o1')).toMatchObject({ syncState: 'conflict', resource: local });
    expect((await replica.metaOf(['Observation/o1'])).get('Observation/o1')?.syncState).toBe('conflict');
    expect(await replica.countByState()).toEqual({ pending: 0, conflicts: 1, quarantined: 0, damaged: 0 });
    await expect(replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: local, patient: 'Patient/p1' })).rejects.toThrow('conflict-open');
    await replica.close();
  });
});

describe('resolveConflict', () => {
  it('keep local: an update based on the remote version, the local edit pending', async () => {
    const { replica, entry } = await inConflict();
    await replica.resolveConflict('c-1', { keep: 'local' });
    expect(await replica.outbox()).toEqual([{ ...entry, op: 'update', resource: local, baseVersionId: 'v2', base: remote, state: 'ready' }]);
    expect(await replica.getResource('Observation/o1')).toMatchObject({ syncState: 'pending', resource: local });
    expect((await replica.metaOf(['Observation/o1'])).get('Observation/o1')).toMatchObject({ versionId: 'v2', syncState: 'pending' });
    expect(await replica.listConflicts()).toEqual([]);
    expect(await replica.countByState()).toMatchObject({ pending: 1, conflicts: 0 });
    await replica.close();
  });

  it('keep remote: the local edit is dropped and the remote version stored as synced', async () => {
    const { replica } = await inConflict();
    await replica.resolveConflict('c-1', { keep: 'remote' });
    expect(await replica.outbox()).toEqual([]);
    expect(await replica.getResource('Observation/o1')).toEqual({ ref: 'Observation/o1', resourceType: 'Observation', syncState: 'synced', resource: remote });
    expect((await replica.metaOf(['Observation/o1'])).get('Observation/o1')).toMatchObject({ versionId: 'v2', syncState: 'synced' });
    expect(await replica.listConflicts()).toEqual([]);
    await replica.close();
  });

  it('merged: an update carrying the merged resource, based on the remote version', async () => {
    const { replica, entry } = await inConflict();
    const merged = { ...remote, status: 'amended' };
    await replica.resolveConflict('c-1', { merged });
    expect(await replica.outbox()).toEqual([{ ...entry, op: 'update', resource: merged, baseVersionId: 'v2', base: remote, state: 'ready' }]);
    expect(await replica.getResource('Observation/o1')).toMatchObject({ syncState: 'pending', resource: merged });
    await replica.close();
  });

  it('keep local over a remote deletion re-creates the resource at its id', async () => {
    const { replica } = await inConflict(null);
    await replica.resolveConflict('c-1', { keep: 'local' });
    expect(await replica.outbox()).toEqual([expect.objectContaining({ op: 'create', baseVersionId: null, base: null, resource: local, state: 'ready' })]);
    await replica.close();
  });

  it('keep remote after a remote deletion removes the resource', async () => {
    const { replica } = await inConflict(null);
    await replica.resolveConflict('c-1', { keep: 'remote' });
    expect(await replica.getResource('Observation/o1')).toBeNull();
    expect(await replica.outbox()).toEqual([]);
    await replica.close();
  });

  it('resolves once: a second resolution, or an unknown id, is refused', async () => {
    const { replica } = await inConflict();
    await replica.resolveConflict('c-1', { keep: 'remote' });
    await expect(replica.resolveConflict('c-1', { keep: 'local' })).rejects.toThrow(ConflictNotOpenError);
    await expect(replica.resolveConflict('nope', { keep: 'local' })).rejects.toThrow(ConflictNotOpenError);
    expect(await replica.outbox()).toEqual([]);
    await replica.close();
  });

  it('refuses a merged resource that is not this resource', async () => {
    const { replica } = await inConflict();
    await expect(replica.resolveConflict('c-1', { merged: observation('o2', 'p1', 'x') })).rejects.toThrow('malformed');
    expect(await replica.listConflicts()).toHaveLength(1);
    await replica.close();
  });

  it('a conflict opened on an entry superseded meanwhile lands on the newer edit', async () => {
    const replica = await openTestReplica(uniqueName('conflict-superseded'), vault);
    await replica.putServerResources([{ resource: base, patient: 'Patient/p1' }]);
    const sent = (await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: local, patient: 'Patient/p1' }))!;
    const newer = (await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: { ...local, status: 'corrected' }, patient: 'Patient/p1' }))!;
    await replica.openConflict({ id: 'c-2', ref: 'Observation/o1', patient: 'Patient/p1', outboxId: sent.id, base, local, remote, fields: [], state: 'open', createdAt: '2025-03-05T09:00:00.000Z' });
    expect(await replica.listConflicts()).toEqual([expect.objectContaining({ outboxId: newer.id, local: newer.resource })]);
    await replica.close();
  });
});
