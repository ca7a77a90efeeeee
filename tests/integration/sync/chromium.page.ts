import { fromBase64Url, toBase64Url } from '../../../shared/crypto/bytes';
import { createVault, importDeviceSecret, newDeviceSecret, unlockVault, type VaultRecord } from '../../../shared/crypto/key-hierarchy';
import type { WebCrypto } from '../../../shared/crypto/webcrypto';
import type { FhirResource } from '../../../shared/fhir/resource';
import { synchronize, type SyncReport } from '../../../shared/sync/engine';
import { syncedResourceTypes } from '../../../shared/sync/resource-types';
import { createFetchTransport } from '../../../renderer/host/fetch-transport';
import { openReplica, type Replica } from '../../../renderer/db/replica';
import { expose } from '../../browser/expose';

/**
 * Page side of chromium.test.ts: the sync engine and the encrypted replica in Chromium, with its
 * real IndexedDB, talking to the sandbox over real HTTP (same origin).
 */
const crypto = globalThis.crypto as unknown as WebCrypto;
const passphrase = 'correct horse battery staple';
const name = 'chromium-sync';

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
      const transport = createFetchTransport({ fhirBase: `${location.origin}/fhir`, accessToken: () => session.token });
      const report = await synchronize({
        transport, store: replica, practitioner: session.practitioner, types: syncedResourceTypes, pageSize: 40,
        newId: () => crypto.getRandomValues(new Uint8Array(8)).join('-'), now: () => new Date().toISOString(),
      });
      return { patients: report.patients, purged: report.purged, push: report.push };
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
