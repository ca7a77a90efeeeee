import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { IntegrityError } from '../../../../shared/crypto/errors';
import { opaquePatientKey, openDataKey, type UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import { openValue, openValueBytes } from '../../../../shared/crypto/sealed-value';
import type { Bytes, KeyHandle } from '../../../../shared/crypto/webcrypto';
import { rowContext } from '../../../../renderer/db/resource-docs';
import type { StoredRow } from '../../../../renderer/db/row-store';
import { valueContext } from '../../../../renderer/db/sealing-storage';
import { makeVault, observation, openTestReplica, patient, rawDump, rawPut, type RawRow, resourcesDb, resourcesStore, rowIdsIn, uniqueName, webcrypto } from './fixtures';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});

/** The resource rows are in the row store's database; every other collection in RxDB's `rxdb-dexie-<name>--<version>--<collection>`. */
const collectionOf = (row: RawRow): string => (row.store === resourcesStore ? 'resources' : row.db.split('--')[2]!);
const docOf = (row: RawRow): Record<string, unknown> => row.value as Record<string, unknown>;
const isDoc = (row: RawRow): boolean => row.store === 'docs' || row.store === resourcesStore;

async function twoPatients(name: string) {
  const replica = await openTestReplica(name, vault);
  await replica.putServerResources([
    { resource: patient('p1', { family: 'Purgé', identifier: '111' }), patient: 'Patient/p1' },
    { resource: observation('o1', 'p1', 'one'), patient: 'Patient/p1' },
    { resource: observation('o2', 'p1', 'two'), patient: 'Patient/p1' },
    { resource: patient('p2', { family: 'Gardé' }), patient: 'Patient/p2' },
    { resource: observation('o3', 'p2', 'three'), patient: 'Patient/p2' },
  ]);
  const entry = await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: observation('o1', 'p1', 'edited'), patient: 'Patient/p1' });
  await replica.openConflict({
    id: 'c-p1', ref: 'Observation/o1', patient: 'Patient/p1', outboxId: entry!.id, base: entry!.base, local: entry!.resource,
    remote: observation('o1', 'p1', 'remote', 'v2'), fields: ['code'], state: 'open', createdAt: '2025-03-05T09:00:00.000Z',
  });
  await replica.saveLocalEdit({ ref: 'Observation/o3', op: 'update', resource: observation('o3', 'p2', 'kept'), patient: 'Patient/p2' });
  return replica;
}

describe('purgePatient', () => {
  it("removes the patient's resources, outbox entries, conflicts and key, and nothing of anyone else", async () => {
    const name = uniqueName('purge');
    const replica = await twoPatients(name);
    await replica.purgePatient('Patient/p1');

    expect(await replica.resourcesOfPatient('Patient/p1')).toEqual([]);
    expect(await replica.getResource('Patient/p1')).toBeNull();
    expect(await replica.patientsInReplica()).toEqual(['Patient/p2']);
    expect((await replica.outbox()).map((e) => e.ref)).toEqual(['Observation/o3']);
    expect(await replica.listConflicts()).toEqual([]);
    expect(await replica.searchPatients('purge')).toEqual([]);
    expect((await replica.resourcesOfPatient('Patient/p2')).map((e) => e.ref)).toEqual(['Observation/o3', 'Patient/p2']);
    expect(await replica.countByState()).toEqual({ pending: 1, conflicts: 0, quarantined: 0, damaged: 0 });
    await replica.close();

    // Not even a tombstone is left in IndexedDB under the patient's key.
    const pk1 = await opaquePatientKey(webcrypto, vault, 'Patient/p1');
    const left = (await rawDump(name)).filter((r) => isDoc(r) && JSON.stringify(r.value).includes(pk1));
    expect(left).toEqual([]);
  });

  it('crypto-shreds: copies of its rows taken before the purge open under no key that remains', async () => {
    const name = uniqueName('shred');
    const replica = await twoPatients(name);
    const pk1 = await opaquePatientKey(webcrypto, vault, 'Patient/p1');
    const before = (await rawDump(name)).filter((r) => isDoc(r) && docOf(r)['patientKey'] === pk1 && collectionOf(r) !== 'keys');
    expect(new Set(before.map(collectionOf))).toEqual(new Set(['resources', 'outbox', 'conflicts']));
    // A resource row's body is sealed bytes under the row store's AAD; the other collections' bodies are text under RxDB's.
    const open = (key: KeyHandle, row: RawRow) => {
      const doc = docOf(row);
      if (collectionOf(row) === 'resources') return openValueBytes(webcrypto, key, doc['body'] as Bytes, rowContext(doc as unknown as StoredRow));
      return openValue(webcrypto, key, doc['body'] as string, valueContext(collectionOf(row), Number(row.db.split('--')[1]), String(doc['id']), 'body', doc));
    };
    // Control: before the purge, the patient's key (unwrapped from its raw row with the vault) opens every copy.
    const keyRow = (await rawDump(name)).map(docOf).find((d) => d['patientKey'] === pk1 && typeof d['wrapped'] === 'string')!;
    const doomed = await openDataKey(webcrypto, vault, pk1, keyRow['wrapped'] as string);
    for (const row of before) await expect(open(doomed, row)).resolves.toBeInstanceOf(Uint8Array);

    await replica.purgePatient('Patient/p1');
    await replica.close();

    // Everything that remains: every wrapped key still in IndexedDB, unwrapped with the vault.
    const keyRows = (await rawDump(name)).filter((r) => isDoc(r) && collectionOf(r) === 'keys').map(docOf);
    expect(keyRows.map((k) => k['patientKey'])).not.toContain(pk1);
    const remaining = await Promise.all(keyRows.filter((k) => k['wrapped'] !== '').map((k) => openDataKey(webcrypto, vault, k['patientKey'] as string, k['wrapped'] as string)));
    expect(remaining.length).toBe(2); // the shared key and p2's
    for (const row of before) {
      for (const key of remaining) {
        await expect(open(key, row)).rejects.toThrow(IntegrityError);
      }
    }

    // A leftover row put back under the replica does not open either: it reads as damaged.
    const [o2] = await rowIdsIn(name, vault, 'Observation/o2');
    const leftover = before.find((r) => collectionOf(r) === 'resources' && docOf(r)['id'] === o2)!;
    await rawPut(resourcesDb(name), docOf(leftover));
    const reopened = await openTestReplica(name, vault);
    expect(await reopened.getResource('Observation/o2')).toMatchObject({ resource: null });
    expect(await reopened.quarantined()).toEqual(['Observation/o2']);
    await reopened.close();
  });

  it('is idempotent: purging again, or purging an unknown patient, changes nothing', async () => {
    const name = uniqueName('purge-again');
    const replica = await twoPatients(name);
    await replica.purgePatient('Patient/p1');
    await replica.purgePatient('Patient/p1');
    await replica.purgePatient('Patient/nobody');
    expect(await replica.patientsInReplica()).toEqual(['Patient/p2']);
    expect((await replica.resourcesOfPatient('Patient/p2')).length).toBe(2);
    await replica.close();
  });
});
