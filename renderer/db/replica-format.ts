import { ReplicaTooNewError } from './errors';
import { requestDone, transactionDone } from './idb';

/**
 * (Data worker.) Which release's format a replica is in (issue 16, point 2): a newer Relais opens an
 * older replica and migrates it forward (migrations.ts, row-store.ts); an older Relais must refuse a
 * replica a newer one wrote, with a sentence, before it opens or changes anything in it.
 *
 * The format is kept in a small database of its own (`relais-format-<replica>`), read first at
 * open, written once the replica is open in this format. A release that changes what an older one
 * could not read raises `replicaFormat`. A format database at a higher IndexedDB version than this
 * release knows is a newer format too.
 */
export const replicaFormat = 1;
export const formatDatabaseName = (replicaName: string): string => `relais-format-${replicaName}`;
const storeName = 'format';
const key = 'replica';

export type ReplicaFormatMark = Readonly<{
  /** The format the replica was in when opened (null: a replica from before formats were kept, or a new one). */
  found: number | null;
  /** The replica is open in this release's format: say so for the releases to come. */
  record(): Promise<void>;
}>;

/** Opens the format database (a higher version than this release knows is a newer format). */
async function openFormat(replicaName: string, idb: IDBFactory): Promise<IDBDatabase> {
  const open = idb.open(formatDatabaseName(replicaName), 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore(storeName);
  };
  try {
    return await requestDone(open);
  } catch (error: unknown) {
    if (error instanceof DOMException && error.name === 'VersionError') throw new ReplicaTooNewError(null);
    throw error;
  }
}

/**
 * Reads the replica's format first; throws ReplicaTooNewError for a newer one (nothing else is
 * opened or changed). Each step holds the database only while it reads or writes, so a wipe that
 * deletes it is never blocked.
 */
export async function checkReplicaFormat(replicaName: string, idb: IDBFactory = indexedDB): Promise<ReplicaFormatMark> {
  const db = await openFormat(replicaName, idb);
  let found: number | null;
  try {
    const stored = (await requestDone(db.transaction(storeName, 'readonly').objectStore(storeName).get(key))) as { format?: unknown } | undefined;
    found = typeof stored?.format === 'number' ? stored.format : null;
  } finally {
    db.close();
  }
  if (found !== null && found > replicaFormat) throw new ReplicaTooNewError(found);
  return {
    found,
    async record() {
      if (found === replicaFormat) return;
      const again = await openFormat(replicaName, idb);
      try {
        const tx = again.transaction(storeName, 'readwrite', { durability: 'strict' });
        tx.objectStore(storeName).put({ format: replicaFormat }, key);
        await transactionDone(tx);
      } finally {
        again.close();
      }
    },
  };
}
