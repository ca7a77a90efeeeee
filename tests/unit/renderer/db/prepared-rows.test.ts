import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import { makeVault, observation, openTestReplica, patient, uniqueName } from './fixtures';

/**
 * A pull seals its next page while this one is on disk (ReplicaStore.prepareServerResources,
 * resource-docs.ts prepareRows). What was sealed ahead is a hint: it is written only if it is
 * still exactly what the write would seal, under the key the patient has at the write.
 */
let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

describe('rows sealed ahead of their write', () => {
  it('are written as sealed: the write itself encrypts nothing, and every row reads back', async () => {
    const replica = await openTestReplica(uniqueName('prepared'), vault);
    await replica.putServerResources([{ resource: patient('p1', { family: 'Ahead' }), patient: 'Patient/p1' }]);
    const page = [observation('o1', 'p1', 'one'), observation('o2', 'p1', 'two')].map((resource) => ({ resource, patient: 'Patient/p1' }));
    replica.prepareServerResources(page);
    await settle();
    const encrypt = vi.spyOn(globalThis.crypto.subtle, 'encrypt');
    await replica.putServerResources(page);
    expect(encrypt).not.toHaveBeenCalled();
    encrypt.mockRestore();
    expect((await replica.resourcesOfPatient('Patient/p1')).map((e) => [e.ref, (e.resource?.['code'] as { text: string } | undefined)?.text ?? null])).toEqual([
      ['Observation/o1', 'one'],
      ['Observation/o2', 'two'],
      ['Patient/p1', null],
    ]);
    await replica.close();
  });

  it('a row sealed ahead under a key shredded before the write is sealed again under the new key (it would never open)', async () => {
    const name = uniqueName('prepared-shred');
    const replica = await openTestReplica(name, vault);
    await replica.putServerResources([{ resource: patient('p1', { family: 'Shred' }), patient: 'Patient/p1' }]);
    const page = [{ resource: observation('o1', 'p1', 'kept'), patient: 'Patient/p1' }];
    replica.prepareServerResources(page);
    await settle();
    await replica.purgePatient('Patient/p1');
    await replica.putServerResources(page);
    await replica.close();
    const reopened = await openTestReplica(name, vault);
    expect(await reopened.getResource('Observation/o1')).toMatchObject({ resource: { code: { text: 'kept' } } });
    expect((await reopened.countByState()).damaged).toBe(0);
    await reopened.close();
  });

  it('is used only for the very object it was sealed from: another object for the same ref is sealed as given', async () => {
    const replica = await openTestReplica(uniqueName('prepared-object'), vault);
    await replica.putServerResources([{ resource: patient('p1', { family: 'Obj' }), patient: 'Patient/p1' }]);
    replica.prepareServerResources([{ resource: observation('o1', 'p1', 'sealed ahead'), patient: 'Patient/p1' }]);
    await settle();
    await replica.putServerResources([{ resource: observation('o1', 'p1', 'written'), patient: 'Patient/p1' }]);
    expect(await replica.getResource('Observation/o1')).toMatchObject({ resource: { code: { text: 'written' } } });
    await replica.close();
  });

  it('a patient whose key is not stored yet is not sealed ahead; the write creates the key and seals the row', async () => {
    const name = uniqueName('prepared-new-patient');
    const replica = await openTestReplica(name, vault);
    const page = [{ resource: observation('o1', 'p9', 'new patient'), patient: 'Patient/p9' }];
    replica.prepareServerResources(page);
    await settle();
    await replica.putServerResources(page);
    await replica.close();
    const reopened = await openTestReplica(name, vault);
    expect(await reopened.getResource('Observation/o1')).toMatchObject({ resource: { code: { text: 'new patient' } } });
    await reopened.close();
  });

  it('never writes over a local edit saved after the page was sealed ahead', async () => {
    const replica = await openTestReplica(uniqueName('prepared-edit'), vault);
    await replica.putServerResources([{ resource: patient('p1', { family: 'Edit' }), patient: 'Patient/p1' }, { resource: observation('o1', 'p1', 'v1'), patient: 'Patient/p1' }]);
    const server = { resource: observation('o1', 'p1', 'server v2', 'v2'), patient: 'Patient/p1' };
    replica.prepareServerResources([server]);
    await settle();
    await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: observation('o1', 'p1', 'local edit'), patient: 'Patient/p1' });
    await replica.putServerResources([server]);
    expect(await replica.getResource('Observation/o1')).toMatchObject({ syncState: 'pending', resource: { code: { text: 'local edit' } } });
    await replica.close();
  });
});
