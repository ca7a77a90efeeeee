import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import type { SyncedResource } from '../../../../shared/fhir/resource';
import { keptDays } from '../../../../renderer/db/change-log';
import { makeVault, observation, openTestReplica, patient, rawDelete, rawDump, uniqueName } from './fixtures';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});

const at = (resource: SyncedResource, lastUpdated: string, versionId = 'v1'): SyncedResource => ({ ...resource, meta: { versionId, lastUpdated } });

describe('the replica’s change log (the patient list’s “recently changed”)', () => {
  it('keeps each patient’s latest change on the HIE, from any of their resources, across a reopen, sealed', async () => {
    const name = uniqueName('changes');
    const replica = await openTestReplica(name, vault);
    expect(replica.recentChanges().size).toBe(0);
    await replica.putServerResources([
      { resource: at(patient('p1', { family: 'Xyloquartz' }), '2026-11-20T08:00:00.000Z'), patient: 'Patient/p1' },
      { resource: at(patient('p2', { family: 'Durand' }), '2026-11-20T08:00:00.000Z'), patient: 'Patient/p2' },
    ]);
    // A new result for p2 only: p2's change moves, p1's does not.
    await replica.putServerResources([{ resource: at(observation('o1', 'p2', 'Kaliémie'), '2026-11-27T16:45:00.000Z'), patient: 'Patient/p2' }]);
    // An older page arriving late never moves a change back.
    await replica.putServerResources([{ resource: at(observation('o0', 'p2', 'Natrémie'), '2026-11-21T10:00:00.000Z'), patient: 'Patient/p2' }]);
    // Kept to the hour, rounded up (the filter counts days; fewer rewrites).
    expect(Object.fromEntries(replica.recentChanges())).toEqual({ 'Patient/p1': '2026-11-20T08:00:00.000Z', 'Patient/p2': '2026-11-27T17:00:00.000Z' });
    await replica.close();

    const reopened = await openTestReplica(name, vault);
    expect(Object.fromEntries(reopened.recentChanges())).toEqual({ 'Patient/p1': '2026-11-20T08:00:00.000Z', 'Patient/p2': '2026-11-27T17:00:00.000Z' });
    await reopened.close();
    // The log's row is sealed: it names no patient (the resource rows carry lastUpdated in clear by design).
    const metaRows = (await rawDump(name)).filter((r) => r.db.endsWith('--meta'));
    expect(metaRows.some((r) => JSON.stringify(r.value).includes('changes|byPatient'))).toBe(true);
    expect(JSON.stringify(metaRows)).not.toContain('Patient/p');
  });

  it('writes nothing for a page whose changes fall in hours already noted', async () => {
    const name = uniqueName('changes-quiet');
    const replica = await openTestReplica(name, vault);
    await replica.putServerResources([{ resource: at(observation('a', 'p1', 'x'), '2026-11-27T16:05:00.000Z'), patient: 'Patient/p1' }]);
    const metaRow = async (): Promise<string> =>
      JSON.stringify((await rawDump(name)).filter((r) => r.db.endsWith('--meta') && JSON.stringify(r.value).includes('changes|byPatient')));
    const before = await metaRow();
    const revision = replica.recentChangesRevision();
    await replica.putServerResources([{ resource: at(observation('b', 'p1', 'x'), '2026-11-27T16:40:00.000Z'), patient: 'Patient/p1' }]);
    expect(await metaRow()).toBe(before);
    // Nothing the patient list shows moved: its rows are not built again (serve-data-side.ts).
    expect(replica.recentChangesRevision()).toBe(revision);
    await replica.putServerResources([{ resource: at(observation('c', 'p1', 'x'), '2026-11-27T17:10:00.000Z'), patient: 'Patient/p1' }]);
    expect(await metaRow()).not.toBe(before);
    expect(replica.recentChangesRevision()).toBeGreaterThan(revision);
    expect(replica.recentChanges().get('Patient/p1')).toBe('2026-11-27T18:00:00.000Z');
    await replica.close();
  });

  it(`keeps only the last ${keptDays} days of changes (by the HIE's newest stamp), and forgets a purged patient`, async () => {
    const name = uniqueName('changes-prune');
    const replica = await openTestReplica(name, vault);
    await replica.putServerResources([
      { resource: at(observation('old', 'p1', 'x'), '2019-05-01T00:00:00.000Z'), patient: 'Patient/p1' },
      { resource: at(observation('o2', 'p2', 'x'), '2026-11-22T00:00:00.000Z'), patient: 'Patient/p2' },
      { resource: at(observation('o3', 'p3', 'x'), '2026-11-27T00:00:00.000Z'), patient: 'Patient/p3' },
    ]);
    expect([...replica.recentChanges().keys()].sort()).toEqual(['Patient/p2', 'Patient/p3']);
    // Days later on the HIE's clock, p2's change falls out of the window.
    await replica.putServerResources([{ resource: at(observation('o4', 'p3', 'x'), '2026-12-01T00:00:00.000Z'), patient: 'Patient/p3' }]);
    expect([...replica.recentChanges().keys()]).toEqual(['Patient/p3']);
    // Later still, by a day at a time: each entry leaves once, and only when its own horizon passes.
    await replica.putServerResources([{ resource: at(observation('o5', 'p4', 'x'), '2026-12-02T00:00:00.000Z'), patient: 'Patient/p4' }]);
    await replica.putServerResources([{ resource: at(observation('o6', 'p5', 'x'), '2026-12-09T12:00:00.000Z'), patient: 'Patient/p5' }]);
    expect([...replica.recentChanges().keys()].sort()).toEqual(['Patient/p4', 'Patient/p5']);
    await replica.putServerResources([{ resource: at(observation('o7', 'p5', 'x'), '2026-12-10T01:00:00.000Z'), patient: 'Patient/p5' }]);
    expect([...replica.recentChanges().keys()]).toEqual(['Patient/p5']);
    await replica.putServerResources([{ resource: at(observation('o8', 'p3', 'x'), '2026-12-10T02:00:00.000Z'), patient: 'Patient/p3' }]);
    expect([...replica.recentChanges().keys()].sort()).toEqual(['Patient/p3', 'Patient/p5']);
    await replica.purgePatient('Patient/p5');
    await replica.purgePatient('Patient/p3');
    expect(replica.recentChanges().size).toBe(0);
    await replica.close();
    const reopened = await openTestReplica(name, vault);
    expect(reopened.recentChanges().size).toBe(0);
    await reopened.close();
  });

  it('tells the changes made after the first complete sync by their exact time, not their hour, across a reopen', async () => {
    const name = uniqueName('changes-after');
    const replica = await openTestReplica(name, vault);
    // The first sync stores p1 and p2 in its last hour, then completes at 10:30.
    await replica.putServerResources([
      { resource: at(observation('a', 'p1', 'x'), '2026-11-27T10:20:00.000Z'), patient: 'Patient/p1' },
      { resource: at(observation('b', 'p2', 'x'), '2026-11-27T10:29:00.000Z'), patient: 'Patient/p2' },
    ]);
    await replica.writeCheckpoint('_first-completed', { at: '2026-11-27T10:30:00.000Z' });
    // Their hours (11:00) are past the completion: by the hours alone, both looked changed after it.
    expect([...replica.recentChanges().values()]).toEqual(['2026-11-27T11:00:00.000Z', '2026-11-27T11:00:00.000Z']);
    expect(replica.changedAfterFirstSync().size).toBe(0);
    // A result posted at 10:45, and a late page of the first sync's data (10:25): only the first is after.
    await replica.putServerResources([
      { resource: at(observation('c', 'p3', 'x'), '2026-11-27T10:45:00.000Z'), patient: 'Patient/p3' },
      { resource: at(observation('d', 'p1', 'x'), '2026-11-27T10:25:00.000Z'), patient: 'Patient/p1' },
    ]);
    expect(Object.fromEntries(replica.changedAfterFirstSync())).toEqual({ 'Patient/p3': '2026-11-27T11:00:00.000Z' });
    await replica.close();

    const reopened = await openTestReplica(name, vault);
    expect(Object.fromEntries(reopened.changedAfterFirstSync())).toEqual({ 'Patient/p3': '2026-11-27T11:00:00.000Z' });
    // The first completion is read back at open: a later change counts.
    await reopened.putServerResources([{ resource: at(observation('e', 'p2', 'x'), '2026-11-27T12:05:00.000Z'), patient: 'Patient/p2' }]);
    expect([...reopened.changedAfterFirstSync().keys()].sort()).toEqual(['Patient/p2', 'Patient/p3']);
    await reopened.purgePatient('Patient/p3');
    expect([...reopened.changedAfterFirstSync().keys()]).toEqual(['Patient/p2']);
    await reopened.close();
  });

  it('a replica from before the list starts it from the hours after the first complete sync (as they were read then), and keeps it', async () => {
    const name = uniqueName('changes-upgrade');
    const replica = await openTestReplica(name, vault);
    await replica.writeCheckpoint('_first-completed', { at: '2026-11-27T10:30:00.000Z' });
    await replica.putServerResources([
      { resource: at(observation('a', 'p1', 'x'), '2026-11-27T08:00:00.000Z'), patient: 'Patient/p1' },
      { resource: at(observation('b', 'p2', 'x'), '2026-11-27T12:00:00.000Z'), patient: 'Patient/p2' },
    ]);
    await replica.close();
    const row = (await rawDump(name)).find((r) => JSON.stringify(r.value).includes('changes|afterFirstSync'));
    if (row === undefined) throw new Error('no stored list');
    await rawDelete(row.db, (row.value as { id: string }).id);
    const reopened = await openTestReplica(name, vault);
    expect([...reopened.changedAfterFirstSync().keys()]).toEqual(['Patient/p2']);
    await reopened.close();
  });
});
