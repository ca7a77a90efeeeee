import { fromBase64Url, toBase64Url } from '../../shared/crypto/bytes';
import type { IndexedDbSource } from './durable-storage';
import { ReplicaTooNewError } from './errors';
import { requestDone, transactionDone } from './idb';
import { createWrittenIds } from './written-ids';

/**
 * The resource rows, straight on IndexedDB (resources v3). Every other collection stays on RxDB;
 * this one holds nearly all the bytes and nearly all the writes, and RxDB's document layer cost
 * it most of its time and room (issue 12, `npm run bench:sync`):
 *
 * - RxDB's Dexie storage reads every row before writing it (its conflict check; a pull page is
 *   already checked against the replica by the engine), keeps five index entries per row
 *   (`_deleted`+id, `_deleted`+patient, `_deleted`+type, `_meta.lwt`+id, `_meta.lwt`) where the
 *   replica reads by two, and stores a sealed body as base64 text (a third larger) inside a
 *   document carrying `_rev`, `_meta` and `_attachments`;
 * - here a row is one record: its opaque id (the key), its sealed name, its two opaque labels
 *   (the `patientKey` and `typeKey` indexes) and its sealed body as bytes. A page is one `put`
 *   transaction, strict (see durable-storage.ts for why strict), and a removal deletes the record
 *   (no tombstone is left to sweep).
 * - the id, the labels and the name are stored as the bytes their base64url text stands for
 *   (version 2): Chromium keeps a string key as UTF-16, and a row's id is written six times
 *   (its record, its exists entry, and key and value of each of its two index entries), so a
 *   43-character id took about 90 bytes each time and takes 34 now. The module's callers see
 *   text; only this file knows (`storedKeyOf` / `textOfStored`).
 *
 * This module moves bytes and nothing else: sealing and opening are resource-docs.ts's, so
 * nothing here ever holds a key.
 */
export type StoredRow = Readonly<{
  /** The opaque row id: an HMAC of the ref under the index key (shared/crypto/row-id.ts). */
  id: string;
  /** The ref, sealed under the shared key and bound to the id: names the row when its body does not open. */
  name: string;
  typeKey: string;
  patientKey: string;
  /** Which write made the row (a new one each time it is written): bound into the body, so a body from an older write of the same row does not open under the newer fields. */
  stamp: string;
  /** The sealed body (sealed-value.ts, bytes form), bound to the id and the four fields above. */
  body: Uint8Array;
}>;

export type RowStore = Readonly<{
  /** The rows with these ids (absent ones are not in the map). */
  get(ids: readonly string[]): Promise<Map<string, StoredRow>>;
  /**
   * Of these rows (id and type label), the ids that have a row: reads keys only, no value. A row
   * of a type that had none on disk before this connection first used it, and that was not written since, is
   * known absent without a lookup (written-ids.ts): a first sync's page asks IndexedDB for nothing.
   * (This connection must be the only writer: the data worker is, one per replica.)
   */
  existing(rows: readonly Readonly<{ id: string; typeKey: string }>[]): Promise<Set<string>>;
  byPatientKey(patientKey: string): Promise<StoredRow[]>;
  byTypeKey(typeKey: string): Promise<StoredRow[]>;
  /** Writes (replaces) rows, all in one strict transaction: all or none. */
  put(rows: readonly StoredRow[]): Promise<void>;
  /** Deletes rows, in one strict transaction. */
  remove(ids: readonly string[]): Promise<void>;
  count(): Promise<number>;
  close(): void;
}>;

/** Version 1 kept the fields as text in 'rows'; version 2 keeps them as bytes in 'resource-rows' (moved on upgrade, migrateRows). */
const storeName = 'resource-rows';
const version1StoreName = 'rows';
const version = 2;

/**
 * How a text field is stored: the bytes it stands for when it is canonical base64url (every id,
 * label and name this app makes), else the text itself (so any value still round-trips, and
 * looks up the same way it was written).
 */
export function storedKeyOf(text: string): string | Uint8Array<ArrayBuffer> {
  if (text.length === 0 || text.length % 4 === 1) return text;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = fromBase64Url(text);
  } catch {
    return text;
  }
  return toBase64Url(bytes) === text ? bytes.slice() : text;
}

/** A stored field back as text: bytes as their base64url, text as it is; anything else is not a field of ours (null). */
export function textOfStored(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return toBase64Url(value);
  if (value instanceof ArrayBuffer) return toBase64Url(new Uint8Array(value));
  return null;
}

/** A row as stored on disk (version 2). */
const recordOf = (row: StoredRow): Record<string, unknown> => ({
  id: storedKeyOf(row.id),
  name: storedKeyOf(row.name),
  typeKey: storedKeyOf(row.typeKey),
  patientKey: storedKeyOf(row.patientKey),
  stamp: row.stamp,
  body: row.body,
});

/** The row store's database for the replica `name` (erase.ts deletes it with the others). */
export const rowStoreName = (name: string): string => `relais-rows-${name}`;

/**
 * A value read back from disk, as a row. A record with no string id is not one of ours and is left
 * out (its key is its id: nothing could address it). Any other field of the wrong kind is kept
 * as empty: its body then does not open, and the integrity log counts or quarantines the row, as
 * any damaged row (a purge still finds it by its patient index and deletes it).
 */
function rowOf(value: unknown): StoredRow | null {
  if (value === null || typeof value !== 'object') return null;
  const row = value as Record<string, unknown>;
  const id = textOfStored(row['id']);
  if (id === null) return null;
  const text = (field: string): string => textOfStored(row[field]) ?? '';
  const body = row['body'] instanceof Uint8Array ? row['body'] : new Uint8Array(0);
  return { id, name: text('name'), typeKey: text('typeKey'), patientKey: text('patientKey'), stamp: typeof row['stamp'] === 'string' ? row['stamp'] : '', body };
}

/** Progress of moving a version-1 store's rows to version 2 (rows moved, of how many). */
export type RowStoreOptions = IndexedDbSource & Readonly<{ onMigrationProgress?: (moved: number, total: number) => void }>;

/**
 * Moves a version-1 store's rows into the version-2 store, inside the upgrade's own transaction:
 * a crash or a failure half-way aborts it, and the database is still version 1, whole, at the
 * next open (which moves the rows again). A record that is not a row (no text id) is left out,
 * as a read would leave it out.
 */
function migrateRows(upgrade: IDBTransaction, onProgress: ((moved: number, total: number) => void) | undefined): void {
  const from = upgrade.objectStore(version1StoreName);
  const to = upgrade.objectStore(storeName);
  const counting = from.count();
  counting.onsuccess = () => {
    const total = counting.result;
    let moved = 0;
    const cursor = from.openCursor();
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (at === null) {
        upgrade.db.deleteObjectStore(version1StoreName);
        return;
      }
      const row = rowOf(at.value);
      if (row !== null) to.put(recordOf(row));
      moved += 1;
      if (moved % 1000 === 0 || moved === total) onProgress?.(moved, total);
      at.continue();
    };
  };
}

export async function openRowStore(name: string, source: RowStoreOptions = {}): Promise<RowStore> {
  const factory = (source.indexedDB as IDBFactory | undefined) ?? indexedDB;
  const open = factory.open(rowStoreName(name), version);
  open.onupgradeneeded = (event) => {
    const store = open.result.createObjectStore(storeName, { keyPath: 'id' });
    store.createIndex('patientKey', 'patientKey');
    store.createIndex('typeKey', 'typeKey');
    if (event.oldVersion === 1 && open.transaction !== null) migrateRows(open.transaction, source.onMigrationProgress);
  };
  let db: IDBDatabase;
  try {
    db = await requestDone(open);
  } catch (error: unknown) {
    // A newer Relais raised the row store's version: this one cannot read it, and changes nothing.
    if (error instanceof DOMException && error.name === 'VersionError') throw new ReplicaTooNewError(null);
    throw error;
  }
  // Another tab or a wipe asks to delete the database: let it (erase.ts), this connection is done.
  db.onversionchange = () => db.close();

  const read = async <T>(run: (store: IDBObjectStore) => Promise<T>): Promise<T> => {
    const tx = db.transaction(storeName, 'readonly');
    const done = transactionDone(tx);
    try {
      const result = await run(tx.objectStore(storeName));
      await done;
      return result;
    } catch (error: unknown) {
      done.catch(() => undefined);
      throw error;
    }
  };
  /** One strict transaction: if queuing a request throws half-way, it is aborted, so nothing of it commits. */
  const write = async (run: (store: IDBObjectStore) => void): Promise<void> => {
    const tx = db.transaction(storeName, 'readwrite', { durability: 'strict' });
    const done = transactionDone(tx);
    try {
      run(tx.objectStore(storeName));
    } catch (error: unknown) {
      done.catch(() => undefined);
      try {
        tx.abort();
      } catch {
        // Already finished: nothing was queued to commit.
      }
      throw error;
    }
    await done;
  };
  // Every id written through this connection since it opened, and, per type label, whether the
  // type had a row on disk before this connection first wrote or asked about one (the first entry
  // of the type index: one step, however many rows). A type that had none has, on disk, only rows
  // written since: those the filter may have.
  const written = createWrittenIds();
  const hadRows = new Map<string, Promise<boolean>>();
  const typeHadRows = (typeKey: string): Promise<boolean> => {
    let known = hadRows.get(typeKey);
    if (known === undefined) {
      known = read((store) => requestDone(store.index('typeKey').getKey(storedKeyOf(typeKey)))).then((first) => first !== undefined);
      hadRows.set(typeKey, known);
      known.catch(() => hadRows.delete(typeKey));
    }
    return known;
  };
  /** Before this connection first writes a type, what the disk held of it is known (checked in a transaction queued ahead of the write). */
  const typesChecked = (typeKeys: Iterable<string>): Promise<unknown> | null => {
    const pending = [...new Set(typeKeys)].filter((typeKey) => !hadRows.has(typeKey));
    return pending.length === 0 ? null : Promise.all(pending.map(typeHadRows));
  };
  const rowsOf = (values: readonly unknown[]): StoredRow[] => values.map(rowOf).filter((row): row is StoredRow => row !== null);

  return {
    get: (ids) =>
      read(async (store) => {
        const values = await Promise.all(ids.map((id) => requestDone(store.get(storedKeyOf(id)))));
        const found = new Map<string, StoredRow>();
        values.forEach((value, i) => {
          const row = rowOf(value);
          // A record whose id field disagrees with its key was not written here.
          if (row !== null && row.id === ids[i]) found.set(row.id, row);
        });
        return found;
      }),
    async existing(rows) {
      const types = [...new Set(rows.map((row) => row.typeKey))];
      const had = new Map(await Promise.all(types.map(async (typeKey) => [typeKey, await typeHadRows(typeKey)] as const)));
      const ids = rows.filter((row) => had.get(row.typeKey) !== false || written.mayHave(row.id)).map((row) => row.id);
      if (ids.length === 0) return new Set();
      return read(async (store) => {
        const keys = await Promise.all(ids.map((id) => requestDone(store.getKey(storedKeyOf(id)))));
        return new Set(ids.filter((_, i) => keys[i] !== undefined));
      });
    },
    byPatientKey: (patientKey) => read(async (store) => rowsOf(await requestDone(store.index('patientKey').getAll(storedKeyOf(patientKey))))),
    byTypeKey: (typeKey) => read(async (store) => rowsOf(await requestDone(store.index('typeKey').getAll(storedKeyOf(typeKey))))),
    async put(rows) {
      if (rows.length === 0) return;
      // Noted before anything is queued: an existence check that starts after this call looks the id up
      // rather than ruling it out. (Whether that lookup sees this write depends on which transaction is
      // created first; the sync engine only checks a page after the previous page's write resolved.)
      for (const row of rows) written.add(row.id);
      const checking = typesChecked(rows.map((row) => row.typeKey));
      if (checking !== null) await checking;
      await write((store) => {
        for (const row of rows) store.put(recordOf(row));
      });
    },
    remove: (ids) =>
      ids.length === 0
        ? Promise.resolve()
        : write((store) => {
            for (const id of ids) store.delete(storedKeyOf(id));
          }),
    count: () => read((store) => requestDone(store.count())),
    close: () => db.close(),
  };
}
