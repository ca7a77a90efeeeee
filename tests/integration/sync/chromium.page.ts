import { fromBase64Url, toBase64Url } from '../../../shared/crypto/bytes';
import { createVault, importDeviceSecret, newDeviceSecret, unlockVault, type VaultRecord } from '../../../shared/crypto/key-hierarchy';
import type { WebCrypto } from '../../../shared/crypto/webcrypto';
import type { FhirResource } from '../../../shared/fhir/resource';
import { synchronize, type SyncReport } from '../../../shared/sync/engine';
import { createFetchTransport } from '../../../shared/hie/fetch-transport';
import { openReplica, type Replica } from '../../../renderer/db/replica';
import { isStorageFull } from '../../../renderer/db/storage-full';
import { expose } from '../../browser/expose';

/**
 * Page side of chromium.test.ts: the sync engine and the encrypted replica in Chromium, with its
 * real IndexedDB, talking to the sandbox over real HTTP (same origin).
 */
const crypto = globalThis.crypto as unknown as WebCrypto;
const passphrase = 'correct horse battery staple';
const name = 'chromium-sync';
const ballast = 'relais-test-ballast';

export type Secrets = Readonly<{ deviceSecret: string; record: VaultRecord }>;
export type Session = Readonly<{ secrets: Secrets; token: string; practitioner: string }>;

async function open(secrets: Secrets): Promise<Replica> {
  const vault = await unlockVault(crypto, secrets.record, await importDeviceSecret(crypto, fromBase64Url(secrets.deviceSecret)), passphrase);
  return openReplica({ name, crypto, vault });
}

async function withReplica<T>(secrets: Secrets, work: (replica: Replica) => Promise<T>): Promise<T> {
  const replica = await open(secrets);
  try {
    return await work(replica);
  } finally {
    await replica.close();
  }
}

const api = {
  async newVault(): Promise<Secrets> {
    const bytes = newDeviceSecret(crypto);
    const { record } = await createVault(crypto, await importDeviceSecret(crypto, bytes), passphrase);
    return { deviceSecret: toBase64Url(bytes), record };
  },

  sync(session: Session): Promise<Pick<SyncReport, 'patients' | 'purged' | 'push'>> {
    return withReplica(session.secrets, async (replica) => {
      const transport = createFetchTransport({ fhirBase: `${location.origin}/fhir`, tokens: { accessToken: () => session.token, refresh: async () => false }, fetch: fetch.bind(globalThis) });
      const report = await synchronize({
        transport, store: replica, practitioner: session.practitioner, fhirBase: `${location.origin}/fhir`, pageSize: 40,
        newId: () => crypto.getRandomValues(new Uint8Array(8)).join('-'), now: () => new Date().toISOString(),
      });
      return { patients: report.patients, purged: report.purged, push: report.push };
    });
  },

  /** The same run, its failure returned instead of thrown: its name, and whether the app reads it as a full disk. */
  async trySync(session: Session): Promise<{ ok: true } | { ok: false; name: string; storageFull: boolean }> {
    try {
      await api.sync(session);
      return { ok: true };
    } catch (error: unknown) {
      return { ok: false, name: error instanceof Error ? error.name : typeof error, storageFull: isStorageFull(error) };
    }
  },

  /** A clinician's save, its failure returned the same way. */
  async tryEdit(secrets: Secrets, ref: string, resource: FhirResource, patient: string): Promise<{ ok: true } | { ok: false; name: string; storageFull: boolean }> {
    try {
      await api.edit(secrets, ref, 'create', resource, patient);
      return { ok: true };
    } catch (error: unknown) {
      return { ok: false, name: error instanceof Error ? error.name : typeof error, storageFull: isStorageFull(error) };
    }
  },

  /** Local edits waiting for the HIE. */
  pending(secrets: Secrets): Promise<number> {
    return withReplica(secrets, async (replica) => (await replica.countByState()).pending);
  },

  /**
   * Fills the origin's storage up to its quota with a ballast database of random (incompressible)
   * bytes, until Chromium refuses a write with QuotaExceededError: the disk is full. Returns the
   * bytes written and the error's name.
   */
  async fillDisk(): Promise<{ bytes: number; refusedWith: string }> {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(ballast);
      request.onupgradeneeded = () => request.result.createObjectStore('ballast');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('ballast'));
    });
    let bytes = 0;
    try {
      for (let i = 0; i < 10_000; i += 1) {
        const chunk = globalThis.crypto.getRandomValues(new Uint8Array(32 * 1024));
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction('ballast', 'readwrite');
          tx.objectStore('ballast').put(chunk, i);
          tx.oncomplete = () => resolve();
          tx.onabort = () => reject(tx.error ?? new Error('aborted'));
        });
        bytes += chunk.length;
      }
      return { bytes, refusedWith: 'nothing' };
    } catch (error: unknown) {
      return { bytes, refusedWith: error instanceof Error ? error.name : String(error) };
    } finally {
      db.close();
    }
  },

  /** Room again: the ballast goes. */
  async freeDisk(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(ballast);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error ?? new Error('delete'));
    });
  },

  /** Every stored ref with its versionId, patient data only. */
  snapshot(secrets: Secrets): Promise<Array<[string, string | null]>> {
    return withReplica(secrets, async (replica) => {
      const out: Array<[string, string | null]> = [];
      for (const patient of await replica.patientsInReplica()) {
        for (const e of await replica.resourcesOfPatient(patient)) out.push([e.ref, ((e.resource?.meta as { versionId?: string } | undefined)?.versionId) ?? null]);
      }
      return out.sort();
    });
  },

  read(secrets: Secrets, ref: string): Promise<FhirResource | null> {
    return withReplica(secrets, async (replica) => (await replica.getResource(ref))?.resource ?? null);
  },

  edit(secrets: Secrets, ref: string, op: 'create' | 'update' | 'delete', resource: FhirResource, patient: string): Promise<number> {
    return withReplica(secrets, async (replica) => {
      await replica.saveLocalEdit({ ref, op, resource, patient });
      return (await replica.countByState()).pending;
    });
  },

  search(secrets: Secrets, text: string): Promise<string[]> {
    return withReplica(secrets, async (replica) => (await replica.searchPatients(text)).map((e) => e.ref));
  },
};

export type ChromiumSyncApi = typeof api;
expose(api);
