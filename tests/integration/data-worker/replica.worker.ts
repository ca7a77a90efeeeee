import { fromBase64Url, toBase64Url } from '../../../shared/crypto/bytes';
import { createVault, importDeviceSecret, newDeviceSecret, unlockVault, type VaultRecord } from '../../../shared/crypto/key-hierarchy';
import type { WebCrypto } from '../../../shared/crypto/webcrypto';
import type { SyncedResource } from '../../../shared/fhir/resource';
import { PortError, servePort, type PortLike } from '../../../shared/ipc/port-rpc';
import { openReplica, type Replica } from '../../../renderer/db/replica';
import { replicaWorkerContract } from './contract';

/**
 * A dedicated module worker holding the encrypted replica (RxDB on Dexie, IndexedDB and WebCrypto
 * all inside the worker), served over the port protocol: the shape of the data worker.
 */
const crypto = globalThis.crypto as unknown as WebCrypto;
let replica: Replica | null = null;
const open = (): Replica => {
  if (replica === null) throw new PortError('NOT_OPEN');
  return replica;
};

const server = servePort(replicaWorkerContract, globalThis as unknown as PortLike, {
  async newVault({ passphrase }) {
    const bytes = newDeviceSecret(crypto);
    const { record } = await createVault(crypto, await importDeviceSecret(crypto, bytes), passphrase);
    return { deviceSecret: toBase64Url(bytes), record };
  },
  async open({ name, deviceSecret, record, passphrase }) {
    const vault = await unlockVault(crypto, record as VaultRecord, await importDeviceSecret(crypto, fromBase64Url(deviceSecret)), passphrase);
    replica = await openReplica({ name, crypto, vault, multiInstance: false });
    // Proof of where this runs: a worker has no document.
    return { where: typeof (globalThis as { document?: unknown }).document === 'undefined' ? 'worker' : 'page' };
  },
  async put({ pages }) {
    let stored = 0;
    for (const page of pages) {
      await open().putServerResources(page.map((row) => ({ resource: row.resource as SyncedResource, patient: row.patient })));
      stored += 1;
      server.emit('pageStored', { page: stored });
    }
    return { pages: stored };
  },
  async read({ ref }) {
    const resource = (await open().getResource(ref))?.resource ?? null;
    return resource === null ? null : { ...resource, id: resource.id ?? '' };
  },
  async refs({ type }) {
    return (await open().resourcesOfType(type)).map((entry) => entry.ref);
  },
  async quarantined() {
    return [...(await open().quarantined())];
  },
  async close() {
    await replica?.close();
    replica = null;
    return null;
  },
});
