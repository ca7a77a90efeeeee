import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import { ReplicaTooNewError } from '../../../../renderer/db/errors';
import { deleteReplicaFiles } from '../../../../renderer/db/erase';
import { checkReplicaFormat, formatDatabaseName, replicaFormat } from '../../../../renderer/db/replica-format';
import { rowStoreName } from '../../../../renderer/db/row-store';
import { makeVault, observation, openTestReplica, patient, rawDump, uniqueName } from './fixtures';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});

/** What a newer Relais leaves: its format in the format database. */
async function markFormat(name: string, format: number): Promise<void> {
  const open = indexedDB.open(formatDatabaseName(name), 1);
  open.onupgradeneeded = () => open.result.createObjectStore('format');
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const tx = db.transaction('format', 'readwrite');
  tx.objectStore('format').put({ format }, 'replica');
  await new Promise<void>((resolve) => {
    tx.oncomplete = () => resolve();
  });
  db.close();
}

/** A newer Relais raised a database's IndexedDB version. */
async function raiseVersion(database: string, to: number): Promise<void> {
  const open = indexedDB.open(database, to);
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  db.close();
}

/** A replica this release wrote, with a patient, an observation and a local edit waiting in the outbox. */
async function replicaWithData(name: string): Promise<void> {
  const replica = await openTestReplica(name, vault);
  await replica.putServerResources([
    { resource: patient('p1', { family: 'Durand' }), patient: 'Patient/p1' },
    { resource: observation('o1', 'p1', 'before the newer version'), patient: 'Patient/p1' },
  ]);
  await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: observation('o1', 'p1', 'typed offline'), patient: 'Patient/p1' });
  await replica.close();
}

describe('the replica’s format across releases (issue 16, point 2)', { timeout: 30_000 }, () => {
  it('a replica opened by this release is marked with its format', async () => {
    const name = uniqueName('format');
    expect((await checkReplicaFormat(name)).found).toBeNull();
    await replicaWithData(name);
    expect((await checkReplicaFormat(name)).found).toBe(replicaFormat);
  });

  it('a replica a newer release marked is refused before anything is opened: not a byte of it changes, and it opens again once the mark is this release’s', async () => {
    const name = uniqueName('format');
    await replicaWithData(name);
    const before = JSON.stringify(await rawDump(name));
    await markFormat(name, replicaFormat + 1);
    await expect(openTestReplica(name, vault)).rejects.toEqual(new ReplicaTooNewError(replicaFormat + 1));
    await expect(openTestReplica(name, vault)).rejects.toBeInstanceOf(ReplicaTooNewError);
    expect(JSON.stringify(await rawDump(name))).toBe(before);
    // (The newer release itself would open it: here, the mark put back to this format.)
    await markFormat(name, replicaFormat);
    const replica = await openTestReplica(name, vault);
    expect((await replica.getResource('Observation/o1'))?.syncState).not.toBe('synced');
    expect(await replica.outbox()).toHaveLength(1);
    await replica.close();
  });

  it('a row store or a format database at a higher IndexedDB version is a newer release’s too, refused the same way', async () => {
    const rows = uniqueName('format');
    await replicaWithData(rows);
    await raiseVersion(rowStoreName(rows), 3);
    await expect(openTestReplica(rows, vault)).rejects.toBeInstanceOf(ReplicaTooNewError);
    const marked = uniqueName('format');
    await replicaWithData(marked);
    await raiseVersion(formatDatabaseName(marked), 2);
    await expect(openTestReplica(marked, vault)).rejects.toBeInstanceOf(ReplicaTooNewError);
  });

  it('a wipe erases the format database with the rest', async () => {
    const name = uniqueName('format');
    await replicaWithData(name);
    expect(await deleteReplicaFiles(name)).toBeGreaterThan(2);
    expect((await indexedDB.databases()).map((d) => d.name).filter((n) => n?.includes(name))).toEqual([]);
  });
});
