/** Promises over raw IndexedDB requests and transactions (page side). */
export function requestDone<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

export function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export type StoreSpec = Readonly<{ name: string; keyPath: string; indexes: readonly string[]; multiEntry?: readonly string[] }>;

export function openDatabase(name: string, stores: readonly StoreSpec[]): Promise<IDBDatabase> {
  const request = indexedDB.open(name, 1);
  request.onupgradeneeded = () => {
    for (const spec of stores) {
      const store = request.result.createObjectStore(spec.name, { keyPath: spec.keyPath });
      for (const index of spec.indexes) store.createIndex(index, index);
      for (const index of spec.multiEntry ?? []) store.createIndex(index, index, { multiEntry: true });
    }
  };
  return requestDone(request);
}

/** Puts every row in one readwrite transaction of the given durability. */
export async function putAll(db: IDBDatabase, store: string, rows: readonly unknown[], durability: IDBTransactionDurability): Promise<void> {
  const tx = db.transaction(store, 'readwrite', { durability });
  const done = transactionDone(tx);
  const objectStore = tx.objectStore(store);
  for (const row of rows) objectStore.put(row);
  await done;
}

export async function getAllByIndex(db: IDBDatabase, store: string, index: string, key: IDBValidKey): Promise<unknown[]> {
  const tx = db.transaction(store, 'readonly');
  return requestDone(tx.objectStore(store).index(index).getAll(IDBKeyRange.only(key)));
}
