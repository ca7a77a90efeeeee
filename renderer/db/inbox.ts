import type { Bytes } from '../../shared/crypto/webcrypto';
import { requestDone, transactionDone } from './idb';

/**
 * The inbox: what the sync received while the screen was locked, as sealed boxes
 * (shared/crypto/sealed-box.ts), in the order received, one IndexedDB database beside the
 * replica's. The locked sync only appends; the next unlock folds the boxes into the replica in
 * order (data/inbox-fold.ts) and removes each batch once folded. Plain IndexedDB, no RxDB: the
 * locked worker loads nothing that could read the replica.
 */
export const inboxDatabaseName = (replicaName: string): string => `relais-inbox-${replicaName}`;

const storeName = 'boxes';

export type InboxEntry = Readonly<{ key: number; box: Bytes }>;

export type Inbox = Readonly<{
  append(box: Bytes): Promise<void>;
  /** Up to `limit` boxes after `afterKey` (every box: -1), in the order they were appended. */
  batch(afterKey: number, limit: number): Promise<readonly InboxEntry[]>;
  /** Removes every box up to and including `key`. */
  removeThrough(key: number): Promise<void>;
  count(): Promise<number>;
  close(): void;
}>;


export async function openInbox(replicaName: string, idb: IDBFactory = indexedDB): Promise<Inbox> {
  const request = idb.open(inboxDatabaseName(replicaName), 1);
  request.onupgradeneeded = () => {
    request.result.createObjectStore(storeName, { autoIncrement: true });
  };
  const db = await requestDone(request);
  return {
    async append(box) {
      // Strict durability: an append is a page the checkpoint already counts on.
      const tx = db.transaction(storeName, 'readwrite', { durability: 'strict' });
      tx.objectStore(storeName).add(box);
      await transactionDone(tx);
    },
    async batch(afterKey, limit) {
      const tx = db.transaction(storeName, 'readonly');
      const store = tx.objectStore(storeName);
      const range = IDBKeyRange.lowerBound(afterKey, true);
      const [keys, values] = await Promise.all([requestDone(store.getAllKeys(range, limit)), requestDone(store.getAll(range, limit))]);
      return keys.map((key, i) => ({ key: key as number, box: new Uint8Array(values[i] as ArrayBuffer | Uint8Array) as Bytes }));
    },
    async removeThrough(key) {
      const tx = db.transaction(storeName, 'readwrite', { durability: 'strict' });
      tx.objectStore(storeName).delete(IDBKeyRange.upperBound(key));
      await transactionDone(tx);
    },
    count: () => requestDone(db.transaction(storeName, 'readonly').objectStore(storeName).count()),
    close: () => db.close(),
  };
}
