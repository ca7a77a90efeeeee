import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import { dexieName, makeVault, observation, openTestReplica, rawDelete, rawDump, rawGet, rawPut, resourcesDb, resourcesStore, rowIdsIn, uniqueName } from './fixtures';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});

/** The replica's one resource row, as stored (rows are keyed by opaque ids). */
async function onlyResourceRow(name: string): Promise<Record<string, unknown>> {
  const rows = (await rawDump(name)).filter((r) => r.db === resourcesDb(name) && r.store === resourcesStore);
  expect(rows).toHaveLength(1);
  return rows[0]!.value as Record<string, unknown>;
}
const outboxDb = (name: string) => dexieName(name, 'outbox', 0);
const conflictsDb = (name: string) => dexieName(name, 'conflicts', 0);
const edited = (note: string) => ({ ...observation('o1', 'p1', note), status: 'amended' });

async function withEdit(name: string) {
  const replica = await openTestReplica(name, vault);
  await replica.putServerResources([{ resource: observation('o1', 'p1', 'base'), patient: 'Patient/p1' }]);
  const entry = (await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: edited('one'), patient: 'Patient/p1' }))!;
  return { replica, entry };
}

describe('recovery at open: the outbox is the source of truth', () => {
  it('rebuilds a pending edit whose resource row was lost (relaxed write never reached the disk)', async () => {
    const name = uniqueName('lost-row');
    const { replica, entry } = await withEdit(name);
    await replica.close();
    await rawDelete(resourcesDb(name), (await rowIdsIn(name, vault, 'Observation/o1'))[0]!);

    const reopened = await openTestReplica(name, vault);
    expect(reopened.recovery).toMatchObject({ rowsRebuilt: 1 });
    expect(await reopened.getResource('Observation/o1')).toEqual({ ref: 'Observation/o1', resourceType: 'Observation', syncState: 'pending', resource: edited('one') });
    expect((await reopened.metaOf(['Observation/o1'])).get('Observation/o1')).toMatchObject({ versionId: 'v1', syncState: 'pending' });
    expect(await reopened.outbox()).toEqual([entry]);
    await reopened.close();
  });

  it('rebuilds a row that is older than its entry (the second edit reached only the outbox)', async () => {
    const name = uniqueName('older-row');
    const { replica } = await withEdit(name);
    const afterFirst = await onlyResourceRow(name);
    await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: edited('two'), patient: 'Patient/p1' });
    await replica.close();
    await rawPut(resourcesDb(name), afterFirst);

    const reopened = await openTestReplica(name, vault);
    expect(await reopened.getResource('Observation/o1')).toMatchObject({ syncState: 'pending', resource: edited('two') });
    await reopened.close();
  });

  it('leaves a consistent replica alone', async () => {
    const name = uniqueName('consistent');
    const { replica } = await withEdit(name);
    await replica.close();
    const reopened = await openTestReplica(name, vault);
    expect(reopened.recovery).toEqual({ conflictsCompleted: 0, entriesReset: 0, rowsRebuilt: 0, rowsRefetched: 0 });
    await reopened.close();
  });

  it('keeps the newer of two entries for one ref (a crash between superseding and removing)', async () => {
    const name = uniqueName('two-entries');
    const { replica, entry } = await withEdit(name);
    const firstRow = (await rawGet(outboxDb(name), entry.id))!;
    const second = await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: edited('two'), patient: 'Patient/p1' });
    await replica.close();
    await rawPut(outboxDb(name), firstRow);

    const reopened = await openTestReplica(name, vault);
    expect(await reopened.outbox()).toEqual([second]);
    expect(await reopened.getResource('Observation/o1')).toMatchObject({ resource: edited('two') });
    await reopened.close();
  });

  it('marks an orphaned pending row synced and has the engine fetch it again (the settling write was lost)', async () => {
    const name = uniqueName('orphan');
    const { replica, entry } = await withEdit(name);
    await replica.close();
    await rawDelete(outboxDb(name), entry.id); // acknowledged: the entry went, the server version never landed

    const reopened = await openTestReplica(name, vault);
    expect(reopened.recovery).toMatchObject({ rowsRefetched: 1 });
    expect((await reopened.metaOf(['Observation/o1'])).get('Observation/o1')?.syncState).toBe('synced');
    expect(await reopened.quarantined()).toEqual(['Observation/o1']);
    await reopened.close();
  });

  describe('an interrupted conflict', () => {
    async function withConflict(name: string) {
      const { replica, entry } = await withEdit(name);
      await replica.openConflict({
        id: 'c-1', ref: 'Observation/o1', patient: 'Patient/p1', outboxId: entry.id, base: entry.base, local: entry.resource,
        remote: observation('o1', 'p1', 'remote', 'v2'), fields: ['code'], state: 'open', createdAt: '2025-03-05T09:00:00.000Z',
      });
      return { replica, entry };
    }

    it('being parked: the entry goes back to ready when its conflict record never landed', async () => {
      const name = uniqueName('park');
      const { replica, entry } = await withConflict(name);
      await replica.close();
      await rawDelete(conflictsDb(name), 'c-1');

      const reopened = await openTestReplica(name, vault);
      expect(reopened.recovery).toMatchObject({ entriesReset: 1 });
      expect(await reopened.outbox()).toEqual([{ ...entry, state: 'ready' }]);
      expect(await reopened.getResource('Observation/o1')).toMatchObject({ syncState: 'pending', resource: edited('one') });
      await reopened.close();
    });

    it('being resolved as "keep remote": finished at open, the remote version stored', async () => {
      const name = uniqueName('resolve-remote');
      const { replica, entry } = await withConflict(name);
      await replica.close();
      await rawDelete(outboxDb(name), entry.id); // the first write of the resolution landed, the rest did not

      const reopened = await openTestReplica(name, vault);
      expect(reopened.recovery).toMatchObject({ conflictsCompleted: 1 });
      expect(await reopened.listConflicts()).toEqual([]);
      expect(await reopened.getResource('Observation/o1')).toMatchObject({ syncState: 'synced', resource: observation('o1', 'p1', 'remote', 'v2') });
      await reopened.close();
    });
  });
});
