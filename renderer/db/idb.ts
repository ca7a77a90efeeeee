/** Plain IndexedDB requests and transactions as promises (the row store, the inbox: no Dexie, no RxDB). */

export const requestDone = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });

/** A transaction's end. A full disk arrives here as the transaction's QuotaExceededError (storage-full.ts tells it). */
export const transactionDone = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });

/**
 * Deletes one database. Resolves once the delete is done, or once it is only waiting for another
 * connection to close (it completes then: IndexedDB keeps the request).
 */
export const deleteDatabase = (idb: Pick<IDBFactory, 'deleteDatabase'>, name: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const request = idb.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('deleteDatabase failed'));
    request.onblocked = () => resolve();
  });
