import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import { openRowStore, rowStoreName, type StoredRow } from '../../../../renderer/db/row-store';
import { makeVault, observation, openTestReplica, patient, rawDump, rawGet, rawPut, resourcesDb, resourcesStore, rowIdsIn, uniqueName } from './fixtures';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});

const originalClose = IDBDatabase.prototype.close;
afterEach(() => {
  IDBDatabase.prototype.close = originalClose;
});

const row = (id: string, body: Uint8Array = Uint8Array.of(1, 2, 3)): StoredRow => ({ id, name: 'n', typeKey: 't', patientKey: 'p', stamp: 's', body });

describe('the row store', () => {
  it('writes a page all or none: a row that cannot be stored half-way through leaves none of the page', async () => {
    const name = uniqueName('rows-atomic');
    const store = await openRowStore(name);
    await store.put([row('a')]);
    // A body IndexedDB cannot clone: the second put throws while the page is being queued.
    const bad = { ...row('c'), body: (() => undefined) as unknown as Uint8Array };
    await expect(store.put([row('b'), bad, row('d')])).rejects.toThrow();
    expect([...(await store.get(['a', 'b', 'c', 'd'])).keys()]).toEqual(['a']);
    expect(await store.count()).toBe(1);
    store.close();
  });

  it('closing the replica closes its row store connection', async () => {
    const name = uniqueName('rows-close');
    const closed: string[] = [];
    IDBDatabase.prototype.close = function (this: IDBDatabase) {
      closed.push(this.name);
      originalClose.call(this);
    };
    const replica = await openTestReplica(name, vault);
    await replica.putServerResources([{ resource: observation('o1', 'p1', 'x'), patient: 'Patient/p1' }]);
    await replica.close();
    expect(closed).toContain(rowStoreName(name));
  });

  it('a record with a field of the wrong kind is neither hidden nor trusted: counted as damaged, and a purge deletes it', async () => {
    const name = uniqueName('rows-malformed');
    const replica = await openTestReplica(name, vault);
    await replica.putServerResources([
      { resource: patient('p1', { family: 'A' }), patient: 'Patient/p1' },
      { resource: observation('o1', 'p1', 'one'), patient: 'Patient/p1' },
      { resource: observation('o2', 'p1', 'two'), patient: 'Patient/p1' },
    ]);
    await replica.close();
    const [o2] = await rowIdsIn(name, vault, 'Observation/o2');
    const stored = (await rawGet(resourcesDb(name), o2!))!;
    await rawPut(resourcesDb(name), { ...stored, name: 42, stamp: null });

    const reopened = await openTestReplica(name, vault);
    // Its name no longer opens, so the chart cannot name it: it is counted, not shown, and not silently dropped.
    expect((await reopened.resourcesOfPatient('Patient/p1')).map((e) => e.ref)).toEqual(['Observation/o1', 'Patient/p1']);
    expect((await reopened.countByState()).damaged).toBe(1);
    // Read by its ref, it is fetched again.
    expect(await reopened.getResource('Observation/o2')).toMatchObject({ resource: null });
    expect(await reopened.quarantined()).toEqual(['Observation/o2']);
    await reopened.purgePatient('Patient/p1');
    await reopened.close();
    expect((await rawDump(name)).filter((r) => r.store === resourcesStore)).toEqual([]);
  });
});

describe('which rows exist (a first sync asks IndexedDB for none of them)', () => {
  const originalGetKey = IDBObjectStore.prototype.getKey;
  let lookups = 0;
  afterEach(() => {
    IDBObjectStore.prototype.getKey = originalGetKey;
  });
  const countLookups = (): void => {
    lookups = 0;
    IDBObjectStore.prototype.getKey = function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
      lookups += 1;
      return originalGetKey.call(this, key);
    };
  };
  const typed = (id: string, typeKey: string): StoredRow => ({ ...row(id), typeKey });
  const asked = (typeKey: string, ...ids: string[]) => ids.map((id) => ({ id, typeKey }));

  it('a type with no row on disk when the store opened: its rows are known absent without a lookup, and every row written since is found', async () => {
    const name = uniqueName('rows-exist');
    const store = await openRowStore(name);
    // Written before the type is first asked about (a priority fetch before the pull): still found.
    await store.put([typed('obs-early', 'obs')]);
    countLookups();
    const page = Array.from({ length: 200 }, (_, i) => `obs-${i}`);
    expect(await store.existing(asked('obs', ...page))).toEqual(new Set());
    expect(lookups).toBe(0);
    expect(await store.existing(asked('obs', 'obs-early'))).toEqual(new Set(['obs-early']));
    await store.put([typed('obs-3', 'obs'), typed('obs-150', 'obs')]);
    lookups = 0;
    expect(await store.existing(asked('obs', ...page))).toEqual(new Set(['obs-3', 'obs-150']));
    // Only the rows that may have been written are looked up (a false "maybe" is rare: 2 of 200 here at most).
    expect(lookups).toBeLessThanOrEqual(4);
    store.close();
  });

  it('a type that had rows on disk is always looked up, and a row being written while asked is found', async () => {
    const name = uniqueName('rows-exist-disk');
    const first = await openRowStore(name);
    await first.put([typed('a', 'pat'), typed('b', 'pat')]);
    first.close();
    const store = await openRowStore(name);
    countLookups();
    expect(await store.existing(asked('pat', 'a', 'b', 'c'))).toEqual(new Set(['a', 'b']));
    expect(lookups).toBe(3);
    // Asked while the write of its type's first row is on its way: the lookup waits for it.
    const writing = store.put([typed('n1', 'new-type')]);
    expect(await store.existing(asked('new-type', 'n1', 'n2'))).toEqual(new Set(['n1']));
    await writing;
    store.close();
  });
});
