import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import { openRowStore, rowStoreName, storedKeyOf, textOfStored, type StoredRow } from '../../../../renderer/db/row-store';
import { toBase64Url } from '../../../../shared/crypto/bytes';
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

describe('the stored form (version 2): ids, labels and names as bytes', () => {
  const b64 = (n: number, fill: number): string => toBase64Url(new Uint8Array(n).fill(fill));
  const opaque = (fill: number): StoredRow => ({ id: b64(32, fill), name: b64(92, fill + 1), typeKey: b64(32, 7), patientKey: b64(32, 9), stamp: 'm1.1', body: Uint8Array.of(fill) });
  const openRaw = (name: string, version?: number): Promise<IDBDatabase> =>
    new Promise((resolve, reject) => {
      const open = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
      open.onupgradeneeded = (event) => {
        // Only for a version-1 store made by hand: the text fields, in 'rows', indexed as the first release did.
        if (event.oldVersion === 0 && version === 1) {
          const store = open.result.createObjectStore('rows', { keyPath: 'id' });
          store.createIndex('patientKey', 'patientKey');
          store.createIndex('typeKey', 'typeKey');
        }
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('open failed'));
    });
  const allOf = (db: IDBDatabase, store: string): Promise<unknown[]> =>
    new Promise((resolve, reject) => {
      const request = db.transaction(store, 'readonly').objectStore(store).getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('read failed'));
    });
  /** A version-1 row store as the previous release wrote it: every field as text. */
  async function version1Store(name: string, rows: readonly StoredRow[]): Promise<void> {
    const db = await openRaw(rowStoreName(name), 1);
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('rows', 'readwrite');
      for (const r of rows) tx.objectStore('rows').put({ ...r });
      tx.objectStore('rows').put({ id: 42, note: 'not a row' });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('write failed'));
    });
    db.close();
  }

  it('keeps the canonical base64url of an id, a label and a name as its bytes, and any other text as text; both read back as written', () => {
    for (const text of [b64(32, 1), b64(92, 2), b64(1, 3), b64(2, 4)]) {
      const stored = storedKeyOf(text);
      expect(stored).toBeInstanceOf(Uint8Array);
      expect(textOfStored(stored)).toBe(text);
    }
    // Not base64url, an impossible length, or non-zero trailing bits (two texts for one byte): kept as text.
    for (const text of ['', 'a', 'Patient/p1', 'AB', 'abc=', 'é']) expect(storedKeyOf(text)).toBe(text);
    expect(textOfStored(new Uint8Array([0xfb]).buffer)).toBe('-w');
    expect(textOfStored(42)).toBeNull();
  });

  it('writes id, labels and name as bytes on disk (a 43-character id is 32 bytes), and reads them back as text', async () => {
    const name = uniqueName('rows-bytes');
    const store = await openRowStore(name);
    const written = opaque(1);
    await store.put([written]);
    expect([...(await store.get([written.id])).values()]).toEqual([written]);
    expect(await store.byPatientKey(written.patientKey)).toEqual([written]);
    expect(await store.byTypeKey(written.typeKey)).toEqual([written]);
    store.close();
    const db = await openRaw(rowStoreName(name));
    const [record] = (await allOf(db, 'resource-rows')) as Record<string, unknown>[];
    db.close();
    expect(record!['id']).toBeInstanceOf(Uint8Array);
    expect((record!['id'] as Uint8Array).length).toBe(32);
    expect((record!['name'] as Uint8Array).length).toBe(92);
    expect(record!['typeKey']).toBeInstanceOf(Uint8Array);
    expect(record!['patientKey']).toBeInstanceOf(Uint8Array);
  });

  it('opens a version-1 store by moving its rows to version 2, reporting progress; what the first release wrote reads the same', async () => {
    const name = uniqueName('rows-v1');
    const rows = Array.from({ length: 2100 }, (_, i) => ({ ...opaque(i % 200), id: toBase64Url(Uint8Array.of(i >> 8, i & 255, ...new Uint8Array(30))) }));
    await version1Store(name, rows);
    const progress: number[] = [];
    const store = await openRowStore(name, { onMigrationProgress: (moved, total) => progress.push(moved, total) });
    expect(progress).toEqual([1000, 2101, 2000, 2101, 2101, 2101]);
    expect(await store.count()).toBe(2100);
    expect([...(await store.get([rows[5]!.id, rows[2099]!.id])).values()]).toEqual([rows[5], rows[2099]]);
    expect(await store.existing([{ id: rows[7]!.id, typeKey: rows[7]!.typeKey }, { id: b64(32, 255), typeKey: rows[7]!.typeKey }])).toEqual(new Set([rows[7]!.id]));
    expect((await store.byPatientKey(rows[0]!.patientKey)).length).toBe(2100);
    store.close();
    const db = await openRaw(rowStoreName(name));
    expect(db.version).toBe(2);
    expect(Array.from(db.objectStoreNames)).toEqual(['resource-rows']);
    db.close();
  });

  it('a move stopped half-way (a crash, a failure) leaves the version-1 store whole; the next open moves it all', async () => {
    const name = uniqueName('rows-v1-crash');
    const rows = Array.from({ length: 2500 }, (_, i) => ({ ...opaque(i % 200), id: toBase64Url(Uint8Array.of(i >> 8, i & 255, ...new Uint8Array(30))) }));
    await version1Store(name, rows);
    await expect(
      openRowStore(name, {
        onMigrationProgress: (moved) => {
          if (moved === 2000) throw new Error('the process died here');
        },
      }),
    ).rejects.toThrow();
    const db = await openRaw(rowStoreName(name));
    expect(db.version).toBe(1);
    expect((await allOf(db, 'rows')).length).toBe(2501);
    db.close();
    const store = await openRowStore(name);
    expect(await store.count()).toBe(2500);
    expect([...(await store.get([rows[2499]!.id])).values()]).toEqual([rows[2499]]);
    store.close();
  });
});
