import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import { countingCrypto, makeVault, observation, openTestReplica, patient, uniqueName } from './fixtures';

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

  it('per type: a sync writing other types leaves a type’s revision; its own rows, the outbox, a purge move it', async () => {
    const replica = await openTestReplica(uniqueName('revision-type'), vault);
    const moves = async (type: string, work: () => Promise<unknown>): Promise<boolean> => {
      const before = replica.resourceRevision(type);
      await work();
      return replica.resourceRevision(type) !== before;
    };
    expect(await moves('Patient', () => replica.putServerResources([{ resource: patient('p1', { family: 'A' }), patient: 'Patient/p1' }]))).toBe(true);
    expect(await moves('Patient', () => replica.putServerResources([{ resource: observation('o1', 'p1', 'x'), patient: 'Patient/p1' }]))).toBe(false);
    expect(await moves('Observation', () => replica.putServerResources([{ resource: observation('o2', 'p1', 'y'), patient: 'Patient/p1' }]))).toBe(true);
    expect(await moves('Patient', () => replica.removeResources(['Observation/o2']))).toBe(false);
    expect(await moves('Observation', () => replica.removeResources(['Observation/o1']))).toBe(true);
    // An edit waiting in the outbox changes the state every entry shows, of any type.
    expect(await moves('Patient', () => replica.saveLocalEdit({ ref: 'Observation/o3', op: 'create', resource: observation('o3', 'p1', 'z'), patient: 'Patient/p1' }))).toBe(true);
    expect(await moves('Appointment', () => replica.purgePatient('Patient/p1'))).toBe(true);
    await replica.close();
  });

  it('a reopen decrypts the Patients once: the search index and the patient list’s first read share them, never stale', async () => {
    const name = uniqueName('revision-open');
    const first = await openTestReplica(name, vault);
    await first.putServerResources(Array.from({ length: 30 }, (_, i) => ({ resource: patient(`p${i}`, { family: `F${i}` }), patient: `Patient/p${i}` })));
    await first.close();
    const counting = countingCrypto();
    const open = () => openTestReplica(name, vault, undefined, counting.crypto);
    const reopened = await open();
    const atOpen = counting.decrypts();
    expect(reopened.searchPatientRefs('F2')).toContain('Patient/p2');
    expect((await reopened.resourcesOfType('Patient')).length).toBe(30);
    expect(counting.decrypts()).toBe(atOpen);
    // Taken once: a later read decrypts (the worker's memo keeps what it needs).
    expect((await reopened.resourcesOfType('Patient')).length).toBe(30);
    expect(counting.decrypts()).toBeGreaterThanOrEqual(atOpen + 30);
    await reopened.close();

    // A Patient written between the open and the list's first read: the list reads it.
    const again = await open();
    await again.putServerResources([{ resource: patient('p30', { family: 'F30' }), patient: 'Patient/p30' }]);
    expect((await again.resourcesOfType('Patient')).map((e) => e.ref)).toContain('Patient/p30');
    await again.close();
  });
});
