import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalEditRefusedError } from '../../../../../renderer/db/errors';
import { saveWrites, type Write } from '../../../../../renderer/features/charting/save-edit';
import type { UnlockedVault } from '../../../../../shared/crypto/key-hierarchy';
import { makeVault, openTestReplica, uniqueName } from '../../db/fixtures';

/**
 * An order and its DetectedIssues keep their ids from one attempt to the next: a retry after a
 * failed save (a full disk halfway) writes what is missing and never a second copy — against the
 * real replica (RxDB over IndexedDB), whose refusal of an existing create is what is relied on.
 */
let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});

const order = { resourceType: 'MedicationRequest', id: 'mr-1', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' }, medicationCodeableConcept: { text: 'sélégiline' } };
const issue = { resourceType: 'DetectedIssue', id: 'di-1', status: 'final', patient: { reference: 'Patient/p1' }, implicated: [{ reference: 'MedicationRequest/mr-1' }] };
const writes: Write[] = [
  { op: 'create', resource: order },
  { op: 'create', resource: issue },
];

describe('saveWrites', () => {
  it('after a save that failed halfway, a retry stores the rest once and nothing twice', async () => {
    const replica = await openTestReplica(uniqueName('retry'), vault);
    const saveOne = (write: Write) => replica.saveLocalEdit({ ref: `${write.resource.resourceType}/${write.resource.id ?? ''}`, op: write.op, resource: write.resource, patient: 'Patient/p1' });
    let calls = 0;
    const diskFullOnSecond = async (write: Write) => {
      calls += 1;
      if (calls === 2) throw new Error('QuotaExceededError');
      return saveOne(write);
    };
    await expect(saveWrites(writes, diskFullOnSecond, true)).rejects.toThrow('QuotaExceededError');
    expect((await replica.outbox()).map((e) => e.ref)).toEqual(['MedicationRequest/mr-1']);
    await saveWrites(writes, saveOne, true);
    expect((await replica.outbox()).map((e) => e.ref).sort()).toEqual(['DetectedIssue/di-1', 'MedicationRequest/mr-1']);
    await replica.close();
  });

  it('without retry, an existing create is refused as before', async () => {
    const replica = await openTestReplica(uniqueName('noretry'), vault);
    const saveOne = (write: Write) => replica.saveLocalEdit({ ref: `${write.resource.resourceType}/${write.resource.id ?? ''}`, op: write.op, resource: write.resource, patient: 'Patient/p1' });
    await saveWrites(writes, saveOne, false);
    await expect(saveWrites(writes, saveOne, false)).rejects.toBeInstanceOf(LocalEditRefusedError);
    await replica.close();
  });
});
