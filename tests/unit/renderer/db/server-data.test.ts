import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import type { Subtle, WebCrypto } from '../../../../shared/crypto/webcrypto';
import type { ServerRow } from '../../../../shared/sync/ports';
import { dataCollections, keyCollections, legacyResourceCollection, RxdbConflictHandlerCalledError } from '../../../../renderer/db/collections';
import { openReplica } from '../../../../renderer/db/replica';
import { makeVault, observation, openTestReplica, patient, practitioner, uniqueName, webcrypto } from './fixtures';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});

/** The real WebCrypto, counting calls per operation. */
function countingCrypto(): { crypto: WebCrypto; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const subtle = new Proxy(webcrypto.subtle, {
    get(target, property: string) {
      const value = target[property as keyof Subtle];
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(property, (calls.get(property) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { crypto: { subtle, getRandomValues: (a) => webcrypto.getRandomValues(a) }, calls };
}

const page = (from: number, count: number, patients: number): ServerRow[] =>
  Array.from({ length: count }, (_, i) => {
    const p = `p${(from + i) % patients}`;
    return { resource: observation(`o${from + i}`, p, `note ${from + i}`), patient: `Patient/${p}` };
  });

// Each test seals hundreds of rows: 3 s at worst with both cores loaded and a benchmark beside them.
describe('putServerResources', { timeout: 15_000 }, () => {
  it('writes a page in one bulk write, with patient keys created once and then cached', async () => {
    const { crypto, calls } = countingCrypto();
    const original = IDBDatabase.prototype.transaction;
    let resourceWrites = 0;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, stores, mode, options) {
      if (mode === 'readwrite' && this.name.startsWith('relais-rows-')) resourceWrites += 1;
      return original.call(this, stores, mode, options);
    } as typeof original;
    try {
      const replica = await openReplica({ name: uniqueName('bulk'), crypto, vault, multiInstance: false });
      await replica.putServerResources(page(0, 300, 3));
      expect(calls.get('generateKey')).toBe(1 + 3); // the shared key at first open, then one per patient
      calls.clear();
      resourceWrites = 0;
      await replica.putServerResources(page(300, 300, 3));
      expect(resourceWrites).toBe(1);
      expect(calls.get('generateKey')).toBeUndefined();
      expect(calls.get('unwrapKey')).toBeUndefined();
      // One sealed body per row, and one row id per row (shared/crypto/row-id.ts).
      expect(calls.get('encrypt')).toBe(300 + 300);
      expect((await replica.resourcesOfPatient('Patient/p1')).length).toBe(200);
      expect([...(await replica.patientsInReplica())].sort()).toEqual(['Patient/p0', 'Patient/p1', 'Patient/p2']);
      await replica.close();
    } finally {
      IDBDatabase.prototype.transaction = original;
    }
  });

  it('overwrites older server versions and stores non-patient data under the shared key', async () => {
    const replica = await openTestReplica(uniqueName('upsert'), vault);
    await replica.putServerResources([{ resource: observation('o1', 'p1', 'old'), patient: 'Patient/p1' }]);
    await replica.putServerResources([
      { resource: observation('o1', 'p1', 'new', 'v2'), patient: 'Patient/p1' },
      { resource: practitioner('d1', 'Martin'), patient: null },
    ]);
    expect((await replica.getResource('Observation/o1'))?.resource).toEqual(observation('o1', 'p1', 'new', 'v2'));
    expect((await replica.metaOf(['Observation/o1', 'Practitioner/d1'])).get('Practitioner/d1')).toMatchObject({ versionId: 'v1', syncState: 'synced' });
    expect(await replica.patientsInReplica()).toEqual(['Patient/p1']);
    await replica.close();
  });
});

describe('metaOf', () => {
  it('reads the server stamps from the sealed bodies: one decryption per stored row, none for a ref not stored', async () => {
    const { crypto, calls } = countingCrypto();
    const name = uniqueName('meta');
    const first = await openReplica({ name, crypto, vault });
    await first.putServerResources(page(0, 50, 2));
    await first.close();
    const replica = await openReplica({ name, crypto, vault });
    calls.clear();
    const meta = await replica.metaOf([...page(0, 50, 2), ...page(50, 50, 2)].map((r) => `Observation/${r.resource.id}`));
    expect(meta.size).toBe(50);
    expect(meta.get('Observation/o7')).toEqual({ ref: 'Observation/o7', versionId: 'v1', lastUpdated: '2025-03-01T10:00:00.000Z', syncState: 'synced' });
    expect(calls.get('decrypt')).toBe(50);
    await replica.close();
  });
});

describe('removeResources', () => {
  it('removes what the HIE deleted', async () => {
    const replica = await openTestReplica(uniqueName('remove'), vault);
    await replica.putServerResources([{ resource: patient('p1', { family: 'A' }), patient: 'Patient/p1' }, { resource: observation('o1', 'p1', 'x'), patient: 'Patient/p1' }]);
    await replica.removeResources(['Observation/o1', 'Observation/unknown']);
    expect(await replica.getResource('Observation/o1')).toBeNull();
    expect((await replica.resourcesOfPatient('Patient/p1')).map((e) => e.ref)).toEqual(['Patient/p1']);
    await replica.close();
  });
});

describe('checkpoints', () => {
  it('round-trip per stream and survive a restart', async () => {
    const name = uniqueName('checkpoint');
    const replica = await openTestReplica(name, vault);
    expect(await replica.readCheckpoint('Observation')).toBeNull();
    await replica.writeCheckpoint('Observation', { lastUpdated: '2025-03-01T10:00:00.000Z', id: 'o9' });
    await replica.writeCheckpoint('history', '2025-03-02T00:00:00Z');
    await replica.close();
    const reopened = await openTestReplica(name, vault);
    expect(await reopened.readCheckpoint('Observation')).toEqual({ lastUpdated: '2025-03-01T10:00:00.000Z', id: 'o9' });
    expect(await reopened.readCheckpoint('history')).toBe('2025-03-02T00:00:00Z');
    await reopened.close();
  });
});

describe("RxDB's conflict handler", () => {
  it('is replaced on every collection by one that refuses to decide anything', async () => {
    const keys = { rowIdOf: () => Promise.resolve('id'), rowNameOf: () => Promise.resolve('name'), typeKeyOf: () => Promise.resolve('type'), noteUnsettled: () => undefined };
    const definitions = { ...keyCollections, ...dataCollections, resources: legacyResourceCollection(keys) };
    expect(Object.keys(definitions).sort()).toEqual(['audit', 'conflicts', 'keys', 'meta', 'outbox', 'resources']);
    for (const definition of Object.values(definitions)) {
      expect(() => definition.conflictHandler.isEqual({} as never, {} as never, 'test')).toThrow(RxdbConflictHandlerCalledError);
      await expect(definition.conflictHandler.resolve({} as never, 'test')).rejects.toThrow(RxdbConflictHandlerCalledError);
    }
  });
});
