import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import { LocalEditRefusedError } from '../../../../renderer/db/errors';
import { makeVault, observation, openTestReplica, patient, uniqueName } from './fixtures';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});

async function replicaWithObservation() {
  const replica = await openTestReplica(uniqueName('edits'), vault, () => Date.parse('2025-03-05T08:00:00.000Z'));
  await replica.putServerResources([{ resource: observation('o1', 'p1', 'base'), patient: 'Patient/p1' }]);
  return replica;
}

const amended = (note: string) => ({ ...observation('o1', 'p1', note), status: 'amended' });

describe('saveLocalEdit', () => {
  it('makes the edit visible as pending at once and queues an outbox entry based on the stored server version', async () => {
    const replica = await replicaWithObservation();
    const entry = await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: amended('edited'), patient: 'Patient/p1' });
    expect(entry).toMatchObject({ ref: 'Observation/o1', op: 'update', baseVersionId: 'v1', base: observation('o1', 'p1', 'base'), state: 'ready', patient: 'Patient/p1', createdAt: '2025-03-05T08:00:00.000Z' });
    expect(entry!.group).toBe(entry!.id);
    expect(await replica.outbox()).toEqual([entry]);
    expect(await replica.getResource('Observation/o1')).toEqual({ ref: 'Observation/o1', resourceType: 'Observation', syncState: 'pending', resource: amended('edited') });
    expect((await replica.metaOf(['Observation/o1'])).get('Observation/o1')).toEqual({ ref: 'Observation/o1', versionId: 'v1', lastUpdated: '2025-03-01T10:00:00.000Z', syncState: 'pending' });
    expect(await replica.countByState()).toEqual({ pending: 1, conflicts: 0, quarantined: 0, damaged: 0 });
    await replica.close();
  });

  it('creates with the client-generated id and a null base; a new patient gets its own key', async () => {
    const replica = await openTestReplica(uniqueName('create'), vault);
    const id = '0b7e4c1a-3f5d-4c2e-9a1b-2d3c4e5f6a7b';
    const resource = { resourceType: 'Patient', id, name: [{ family: 'Neuf' }] };
    const entry = await replica.saveLocalEdit({ ref: `Patient/${id}`, op: 'create', resource, patient: `Patient/${id}`, group: 'admission' });
    expect(entry).toMatchObject({ op: 'create', baseVersionId: null, base: null, group: 'admission' });
    expect(await replica.patientsInReplica()).toEqual([`Patient/${id}`]);
    expect((await replica.metaOf([`Patient/${id}`])).get(`Patient/${id}`)).toMatchObject({ versionId: null, syncState: 'pending' });
    await replica.close();
  });

  it('a delete hides the resource but stays pending until the HIE has it', async () => {
    const replica = await replicaWithObservation();
    const entry = await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'delete', resource: observation('o1', 'p1', 'base'), patient: 'Patient/p1' });
    expect(await replica.getResource('Observation/o1')).toBeNull();
    expect((await replica.metaOf(['Observation/o1'])).get('Observation/o1')).toEqual({ ref: 'Observation/o1', versionId: 'v1', lastUpdated: '2025-03-01T10:00:00.000Z', syncState: 'pending' });
    await replica.acknowledge(entry!.id, null);
    expect(await replica.outbox()).toEqual([]);
    expect(await replica.metaOf(['Observation/o1'])).toEqual(new Map());
    await replica.close();
  });

  it('a second edit before sending supersedes the first, on the same base', async () => {
    const replica = await replicaWithObservation();
    const first = await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: amended('one'), patient: 'Patient/p1' });
    const second = await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: amended('two'), patient: 'Patient/p1' });
    expect(second!.id).not.toBe(first!.id);
    expect(await replica.outbox()).toEqual([second]);
    expect(second).toMatchObject({ baseVersionId: 'v1', base: observation('o1', 'p1', 'base'), resource: amended('two') });
    await replica.close();
  });

  it('a create deleted before it was sent leaves nothing to send', async () => {
    const replica = await openTestReplica(uniqueName('create-delete'), vault);
    const resource = observation('n1', 'p1', 'draft');
    await replica.saveLocalEdit({ ref: 'Observation/n1', op: 'create', resource, patient: 'Patient/p1' });
    expect(await replica.saveLocalEdit({ ref: 'Observation/n1', op: 'delete', resource, patient: 'Patient/p1' })).toBeNull();
    expect(await replica.outbox()).toEqual([]);
    expect(await replica.getResource('Observation/n1')).toBeNull();
    await replica.close();
  });

  it.each([
    ['malformed', { ref: 'Observation/other', op: 'update', id: 'o1' }],
    ['exists', { ref: 'Observation/o1', op: 'create', id: 'o1' }],
    ['missing', { ref: 'Observation/o2', op: 'update', id: 'o2' }],
  ] as const)('refuses a %s edit', async (reason, edit) => {
    const replica = await replicaWithObservation();
    const resource = observation(edit.id, 'p1', 'x');
    await expect(replica.saveLocalEdit({ ref: edit.ref, op: edit.op, resource, patient: 'Patient/p1' })).rejects.toThrow(new LocalEditRefusedError(reason));
    expect(await replica.outbox()).toEqual([]);
    await replica.close();
  });

  it("refuses an edit filed under another patient than the resource's own", async () => {
    const replica = await replicaWithObservation();
    await expect(replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: amended('x'), patient: 'Patient/p2' })).rejects.toThrow('malformed');
    await expect(replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: amended('x'), patient: null })).rejects.toThrow('malformed');
    expect(await replica.outbox()).toEqual([]);
    await replica.close();
  });

  it('keeps a Patient edit searchable under its new name', async () => {
    const replica = await openTestReplica(uniqueName('edit-search'), vault);
    await replica.putServerResources([{ resource: patient('p1', { family: 'Lefèvre' }), patient: 'Patient/p1' }]);
    await replica.saveLocalEdit({ ref: 'Patient/p1', op: 'update', resource: patient('p1', { family: 'Lefèvre-Morel' }), patient: 'Patient/p1' });
    expect((await replica.searchPatients('morel')).map((e) => e.ref)).toEqual(['Patient/p1']);
    await replica.close();
  });
});

describe('acknowledge', () => {
  it('drops the entry and stores the server version as synced', async () => {
    const replica = await replicaWithObservation();
    const entry = await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: amended('edited'), patient: 'Patient/p1' });
    const server = { ...amended('edited'), meta: { versionId: 'v2', lastUpdated: '2025-03-05T08:00:01.000Z' } };
    await replica.acknowledge(entry!.id, server);
    expect(await replica.outbox()).toEqual([]);
    expect(await replica.getResource('Observation/o1')).toEqual({ ref: 'Observation/o1', resourceType: 'Observation', syncState: 'synced', resource: server });
    expect((await replica.metaOf(['Observation/o1'])).get('Observation/o1')).toMatchObject({ versionId: 'v2', syncState: 'synced' });
    expect((await replica.countByState()).pending).toBe(0);
    await replica.close();
  });

  it('rebases a newer edit made while the acknowledged one was in flight, instead of losing it', async () => {
    const replica = await replicaWithObservation();
    const sent = await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: amended('one'), patient: 'Patient/p1' });
    const newer = await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: amended('two'), patient: 'Patient/p1' });
    const server = { ...amended('one'), meta: { versionId: 'v2', lastUpdated: '2025-03-05T08:00:01.000Z' } };
    await replica.acknowledge(sent!.id, server);
    expect(await replica.outbox()).toEqual([{ ...newer, baseVersionId: 'v2', base: server }]);
    expect(await replica.getResource('Observation/o1')).toMatchObject({ syncState: 'pending', resource: amended('two') });
    expect((await replica.metaOf(['Observation/o1'])).get('Observation/o1')).toMatchObject({ versionId: 'v2', syncState: 'pending' });
    await replica.close();
  });

  it('turns an acknowledged create followed by an unsent edit into an update', async () => {
    const replica = await openTestReplica(uniqueName('create-ack'), vault);
    const draft = observation('n1', 'p1', 'draft');
    const created = await replica.saveLocalEdit({ ref: 'Observation/n1', op: 'create', resource: draft, patient: 'Patient/p1' });
    await replica.saveLocalEdit({ ref: 'Observation/n1', op: 'update', resource: { ...draft, status: 'amended' }, patient: 'Patient/p1' });
    await replica.acknowledge(created!.id, { ...draft, meta: { versionId: 's1', lastUpdated: '2025-03-05T08:00:00.000Z' } });
    expect(await replica.outbox()).toEqual([expect.objectContaining({ op: 'update', baseVersionId: 's1' })]);
    await replica.close();
  });
});

describe('replaceOutboxEntry', () => {
  it('replaces the entry and the pending row (a safe merge onto a newer server version)', async () => {
    const replica = await replicaWithObservation();
    const entry = await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: amended('mine'), patient: 'Patient/p1' });
    const remote = observation('o1', 'p1', 'theirs', 'v2');
    const merged = { ...entry!, resource: amended('merged'), baseVersionId: 'v2', base: remote };
    await replica.replaceOutboxEntry(merged);
    expect(await replica.outbox()).toEqual([merged]);
    expect(await replica.getResource('Observation/o1')).toMatchObject({ syncState: 'pending', resource: amended('merged') });
    expect((await replica.metaOf(['Observation/o1'])).get('Observation/o1')?.versionId).toBe('v2');
    await replica.close();
  });
});

describe('server data never overwrites a local edit', () => {
  it('skips pending refs in putServerResources and removeResources', async () => {
    const replica = await replicaWithObservation();
    await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: amended('mine'), patient: 'Patient/p1' });
    await replica.putServerResources([{ resource: observation('o1', 'p1', 'theirs', 'v2'), patient: 'Patient/p1' }]);
    await replica.removeResources(['Observation/o1']);
    expect(await replica.getResource('Observation/o1')).toMatchObject({ syncState: 'pending', resource: amended('mine') });
    await replica.close();
  });
});

describe('saveLocalCreates (a document import’s group)', () => {
  const create = (id: string, patientId = 'p1', group = 'g1') => {
    const { meta: _meta, ...resource } = observation(id, patientId, `new ${id}`);
    return { ref: `Observation/${id}`, op: 'create' as const, resource, patient: `Patient/${patientId}`, group };
  };

  it('saves every record as pending with its outbox entry, in one group, all at once', async () => {
    const replica = await replicaWithObservation();
    const entries = await replica.saveLocalCreates([create('n1'), create('n2'), create('n3')]);
    expect(entries.map((e) => e.ref)).toEqual(['Observation/n1', 'Observation/n2', 'Observation/n3']);
    expect(entries.every((e) => e.op === 'create' && e.group === 'g1' && e.base === null && e.state === 'ready')).toBe(true);
    expect((await replica.outbox()).map((e) => e.ref).sort()).toEqual(['Observation/n1', 'Observation/n2', 'Observation/n3']);
    expect((await replica.getResource('Observation/n2'))?.syncState).toBe('pending');
    expect(await replica.countByState()).toEqual({ pending: 3, conflicts: 0, quarantined: 0, damaged: 0 });
    // A create taken back before it was sent leaves nothing.
    await replica.saveLocalEdit({ ...create('n2'), op: 'delete' });
    expect(await replica.getResource('Observation/n2')).toBeNull();
    expect(await replica.outbox()).toHaveLength(2);
    await replica.close();
  });

  it('saves nothing when one of them is wrong: a ref already stored or pending, twice, another patient, not a create', async () => {
    const replica = await replicaWithObservation();
    await replica.saveLocalCreates([create('n1')]);
    const attempts = [
      [create('n5'), create('o1')],
      [create('n5'), create('n1')],
      [create('n5'), create('n5')],
      [create('n5'), { ...create('n6'), patient: 'Patient/p2' }],
      [create('n5'), { ...create('n6'), op: 'update' as const }],
    ];
    for (const edits of attempts) await expect(replica.saveLocalCreates(edits)).rejects.toBeInstanceOf(LocalEditRefusedError);
    expect((await replica.outbox()).map((e) => e.ref)).toEqual(['Observation/n1']);
    expect(await replica.getResource('Observation/n5')).toBeNull();
    await replica.close();
  });
});
