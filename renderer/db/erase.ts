import { deleteDatabase } from './idb';
import { inboxDatabaseName } from './inbox';
import { formatDatabaseName } from './replica-format';
import { rowStoreName } from './row-store';
import type { Replica } from './replica';

/**
 * Erasing the replica when the HIE revokes the user or the device. The device secret is
 * destroyed first, by the host (the keychain half of every key: without it nothing on disk opens,
 * even with the passphrase); then every wrapped key here; then the files. A copy of the profile
 * taken before the wipe is as unreadable as what remains.
 */
export async function eraseReplica(
  replica: Replica,
  name: string,
  idb: Pick<IDBFactory, 'databases' | 'deleteDatabase'> = indexedDB,
): Promise<number> {
  await replica.shredAllKeys();
  await replica.close();
  return deleteReplicaFiles(name, idb);
}

/**
 * The replica's IndexedDB databases, and the inbox of what the sync received while locked. Needs
 * no key: a wipe ordered while the screen is locked (data/serve-locked-sync.ts) deletes them after the
 * device secret, without which they never open anyway.
 */
export async function deleteReplicaFiles(name: string, idb: Pick<IDBFactory, 'databases' | 'deleteDatabase'> = indexedDB): Promise<number> {
  let deleted = 0;
  for (const info of await idb.databases()) {
    if (info.name === undefined || !(info.name.startsWith(`rxdb-dexie-${name}--`) || info.name === rowStoreName(name) || info.name === inboxDatabaseName(name) || info.name === formatDatabaseName(name))) continue;
    await deleteDatabase(idb, info.name);
    deleted += 1;
  }
  return deleted;
}
