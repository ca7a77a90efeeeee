import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import { makeVault, observation, openTestReplica, patient, uniqueName } from './fixtures';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});

describe('the replica’s resource revision (what the worker’s read models are kept by)', () => {
  it('moves with every change a ReplicaEntry shows, and with nothing else', async () => {
    const replica = await openTestReplica(uniqueName('revision'), vault);
    const moved = async (work: () => Promise<unknown>): Promise<boolean> => {
      const before = replica.resourceRevision();
      await work();
      return replica.resourceRevision() !== before;
    };
    // Resources written, edited offline, sent, removed, purged: each moves it.
    expect(await moved(() => replica.putServerResources([{ resource: patient('p1', { family: 'A' }), patient: 'Patient/p1' }, { resource: observation('o1', 'p1', 'x'), patient: 'Patient/p1' }]))).toBe(true);
    let entry = null as Awaited<ReturnType<typeof replica.saveLocalEdit>>;
    expect(await moved(async () => (entry = await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: { ...observation('o1', 'p1', 'x'), status: 'amended' }, patient: 'Patient/p1' })))).toBe(true);
    expect(await moved(() => replica.acknowledge(entry!.id, { ...observation('o1', 'p1', 'x', 'v2'), status: 'amended' }))).toBe(true);
    expect(await moved(() => replica.removeResources(['Observation/o1']))).toBe(true);
    // An audit event, a checkpoint, reads and searches: they do not.
    expect(await moved(() => replica.audit.record({ practitioner: 'Practitioner/dr', deviceId: 'device-1', outcome: 'success', action: 'chart-open', patient: 'Patient/p1' }))).toBe(false);
    expect(await moved(() => replica.writeCheckpoint('Observation', { lastUpdated: '2025-03-01T10:00:00.000Z', idsAtLastUpdated: ['o1'] }))).toBe(false);
    expect(await moved(() => replica.resourcesOfPatient('Patient/p1'))).toBe(false);
    expect(await moved(() => replica.searchPatients('a'))).toBe(false);
    expect(await moved(() => replica.purgePatient('Patient/p1'))).toBe(true);
    await replica.close();
  });
});
