import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import { VaultMismatchError } from '../../../../renderer/db/errors';
import { dexieName, flipBit, makeVault, observation, openTestReplica, patient, practitioner, rawDump, rawGet, rawPut, uniqueName } from './fixtures';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});

const resourcesDb = (name: string): string => dexieName(name, 'resources', 1);

describe('replica encryption: round trip', () => {
  it('returns what was stored, for patient and non-patient resources', async () => {
    const name = uniqueName('roundtrip');
    const replica = await openTestReplica(name, vault);
    const p = patient('p1', { family: 'Durand', given: ['Anne'], birthDate: '1961-04-02' });
    const o = observation('o1', 'p1', 'Glycémie à jeun');
    const d = practitioner('d1', 'Martin');
    await replica.putServerResources([
      { resource: p, patient: 'Patient/p1' },
      { resource: o, patient: 'Patient/p1' },
      { resource: d, patient: null },
    ]);
    expect(await replica.getResource('Patient/p1')).toEqual({ ref: 'Patient/p1', resourceType: 'Patient', syncState: 'synced', resource: p });
    expect((await replica.getResource('Practitioner/d1'))?.resource).toEqual(d);
    expect((await replica.resourcesOfPatient('Patient/p1')).map((e) => e.resource)).toEqual([o, p]);
    const meta = await replica.metaOf(['Observation/o1', 'Observation/none']);
    expect(meta.get('Observation/o1')).toEqual({ ref: 'Observation/o1', versionId: 'v1', lastUpdated: '2025-03-01T10:00:00.000Z', syncState: 'synced' });
    expect(meta.has('Observation/none')).toBe(false);
    expect(await replica.patientsInReplica()).toEqual(['Patient/p1']);
    await replica.close();

    const reopened = await openTestReplica(name, vault);
    expect((await reopened.getResource('Observation/o1'))?.resource).toEqual(o);
    await reopened.close();
  });

  it('keeps the emergency scope across a reopen (an offline restart still flags those patients)', async () => {
    const name = uniqueName('emergency');
    const replica = await openTestReplica(name, vault);
    expect(await replica.emergencyPatients()).toEqual([]);
    await replica.setEmergencyPatients(['Patient/p2', 'Patient/p1', 'Patient/p2']);
    expect(await replica.emergencyPatients()).toEqual(['Patient/p1', 'Patient/p2']);
    await replica.close();
    const reopened = await openTestReplica(name, vault);
    expect(await reopened.emergencyPatients()).toEqual(['Patient/p1', 'Patient/p2']);
    await reopened.setEmergencyPatients([]);
    expect(await reopened.emergencyPatients()).toEqual([]);
    await reopened.close();
  });

  it('refuses to open under another vault, and overwrites none of its keys', async () => {
    const name = uniqueName('othervault');
    const replica = await openTestReplica(name, vault);
    await replica.putServerResources([{ resource: practitioner('d1', 'Martin'), patient: null }]);
    await replica.close();
    await expect(openTestReplica(name, await makeVault())).rejects.toThrow(VaultMismatchError);
    const owner = await openTestReplica(name, vault);
    expect((await owner.getResource('Practitioner/d1'))?.resource).toMatchObject({ name: [{ family: 'Martin' }] });
    await owner.close();
  });
});

describe('replica encryption: what IndexedDB holds', () => {
  it('holds no name, identifier, birth date, text or patient reference in clear, in any row of any collection', async () => {
    const name = uniqueName('canary');
    const replica = await openTestReplica(name, vault);
    const canaries = ['Xyloquartzé', 'xyloquartz', 'Hélène', 'helene', '2850578006084', '1937-11-05', 'canary-note-7f3a', 'Patient/pc'];
    await replica.putServerResources([
      { resource: patient('pc', { family: 'Xyloquartzé', given: ['Hélène'], birthDate: '1937-11-05', identifier: '2850578006084' }), patient: 'Patient/pc' },
      { resource: observation('oc', 'pc', 'canary-note-7f3a'), patient: 'Patient/pc' },
    ]);
    // Every collection gets data: an outbox entry, a conflict, a checkpoint, a quarantine record.
    const edit = await replica.saveLocalEdit({ ref: 'Observation/oc', op: 'update', resource: { ...observation('oc', 'pc', 'canary-note-7f3a'), status: 'amended' }, patient: 'Patient/pc' });
    await replica.openConflict({
      id: 'c1', ref: 'Observation/oc', patient: 'Patient/pc', outboxId: edit!.id, base: edit!.base, local: edit!.resource,
      remote: observation('oc', 'pc', 'canary-note-7f3a remote', 'v2'), fields: ['code'], state: 'open', createdAt: '2025-03-02T00:00:00.000Z',
    });
    await replica.writeCheckpoint('Observation', { lastUpdated: '2025-03-01T10:00:00.000Z', id: 'oc' });
    await replica.setEmergencyPatients(['Patient/pc']);
    expect((await replica.searchPatients('helene')).map((e) => e.ref)).toEqual(['Patient/pc']);
    await replica.close();

    const rows = await rawDump(name);
    expect(new Set(rows.map((r) => r.db.split('--')[2]))).toEqual(new Set(['_rxdb_internal', 'keys', 'meta', 'resources', 'outbox', 'conflicts']));
    const text = JSON.stringify(rows);
    for (const canary of canaries.filter((c) => c !== 'Patient/pc')) expect(text).not.toContain(canary);
    // The patient reference appears only as the Patient's own primary key (a server id), never in another row.
    const mentions = rows.filter((r) => JSON.stringify(r.value).includes('Patient/pc'));
    expect(mentions.map((r) => (r.value as { ref?: unknown }).ref)).toEqual(['Patient/pc']);
  });

  it('keeps only non-identifying fields in clear on a resource row', async () => {
    const name = uniqueName('plainfields');
    const replica = await openTestReplica(name, vault);
    await replica.putServerResources([{ resource: observation('o1', 'p1', 'x'), patient: 'Patient/p1' }]);
    await replica.close();
    const row = await rawGet(resourcesDb(name), 'Observation/o1');
    expect(Object.keys(row!).sort()).toEqual(['_attachments', '_deleted', '_meta', '_rev', 'body', 'lastUpdated', 'patientKey', 'ref', 'syncState', 'type', 'versionId']);
    expect(row).toMatchObject({ type: 'Observation', versionId: 'v1', syncState: 'synced' });
    expect(typeof row!['body']).toBe('string');
    expect(row!['patientKey']).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('replica encryption: tampering is quarantined, never a crash', () => {
  async function storeTwo(name: string) {
    const replica = await openTestReplica(name, vault);
    await replica.putServerResources([
      { resource: observation('o1', 'p1', 'first'), patient: 'Patient/p1' },
      { resource: observation('o2', 'p1', 'second'), patient: 'Patient/p1' },
    ]);
    await replica.close();
  }

  async function expectQuarantined(name: string, ref: string, intact: string) {
    const replica = await openTestReplica(name, vault);
    const chart = await replica.resourcesOfPatient('Patient/p1');
    expect(chart.find((e) => e.ref === ref)).toEqual({ ref, resourceType: 'Observation', syncState: 'synced', resource: null });
    expect(chart.find((e) => e.ref === intact)?.resource).not.toBeNull();
    expect(await replica.quarantined()).toEqual([ref]);
    expect((await replica.countByState()).quarantined).toBe(1);
    await replica.close();
  }

  it('a flipped bit', async () => {
    const name = uniqueName('flip');
    await storeTwo(name);
    const row = (await rawGet(resourcesDb(name), 'Observation/o1'))!;
    await rawPut(resourcesDb(name), { ...row, body: flipBit(row['body'] as string) });
    await expectQuarantined(name, 'Observation/o1', 'Observation/o2');
  });

  it('a sealed value moved from another document (same patient, same key)', async () => {
    const name = uniqueName('move');
    await storeTwo(name);
    const from = (await rawGet(resourcesDb(name), 'Observation/o2'))!;
    const to = (await rawGet(resourcesDb(name), 'Observation/o1'))!;
    await rawPut(resourcesDb(name), { ...to, body: from['body'] });
    await expectQuarantined(name, 'Observation/o1', 'Observation/o2');
  });

  it("an older version's sealed value replayed into the current row", async () => {
    const name = uniqueName('replay');
    await storeTwo(name);
    const older = (await rawGet(resourcesDb(name), 'Observation/o1'))!;
    const replica = await openTestReplica(name, vault);
    await replica.putServerResources([{ resource: observation('o1', 'p1', 'corrected', 'v2'), patient: 'Patient/p1' }]);
    await replica.close();
    const current = (await rawGet(resourcesDb(name), 'Observation/o1'))!;
    expect(current['_rev']).not.toEqual(older['_rev']);
    await rawPut(resourcesDb(name), { ...current, body: older['body'] });
    await expectQuarantined(name, 'Observation/o1', 'Observation/o2');
  });

  it('plaintext put where the ciphertext belongs', async () => {
    const name = uniqueName('plain');
    await storeTwo(name);
    const row = (await rawGet(resourcesDb(name), 'Observation/o1'))!;
    await rawPut(resourcesDb(name), { ...row, body: { resource: observation('o1', 'p1', 'forged'), patient: 'Patient/p1' } });
    await expectQuarantined(name, 'Observation/o1', 'Observation/o2');
  });

  it('remembers the quarantine across a restart until the fresh version is written', async () => {
    const name = uniqueName('quarantine');
    await storeTwo(name);
    const row = (await rawGet(resourcesDb(name), 'Observation/o1'))!;
    await rawPut(resourcesDb(name), { ...row, body: flipBit(row['body'] as string) });
    const first = await openTestReplica(name, vault);
    await first.getResource('Observation/o1');
    await first.close();
    await rawPut(resourcesDb(name), row); // the damage is gone, but nobody has fetched the HIE's version yet

    const second = await openTestReplica(name, vault);
    expect(await second.quarantined()).toEqual(['Observation/o1']);
    await second.putServerResources([{ resource: observation('o1', 'p1', 'refetched', 'v2'), patient: 'Patient/p1' }]);
    expect(await second.quarantined()).toEqual([]);
    expect((await second.getResource('Observation/o1'))?.resource).toMatchObject({ code: { text: 'refetched' } });
    await second.close();
    const third = await openTestReplica(name, vault);
    expect(await third.quarantined()).toEqual([]);
    await third.close();
  });

  it('clearQuarantine forgets refs the engine has dealt with', async () => {
    const name = uniqueName('clear');
    await storeTwo(name);
    const row = (await rawGet(resourcesDb(name), 'Observation/o2'))!;
    await rawPut(resourcesDb(name), { ...row, body: flipBit(row['body'] as string) });
    const replica = await openTestReplica(name, vault);
    await replica.resourcesOfPatient('Patient/p1');
    expect(await replica.quarantined()).toEqual(['Observation/o2']);
    await replica.clearQuarantine(['Observation/o2']);
    expect(await replica.quarantined()).toEqual([]);
    await replica.close();
  });
});
