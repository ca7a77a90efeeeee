import { createVault, importDeviceSecret, newDeviceSecret } from '../../shared/crypto/key-hierarchy';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import { openReplica, type Replica } from '../../renderer/db/replica';
import type { BenchStore } from './replica-store';

/**
 * Our encrypted replica exactly as the sync engine drives it: putServerResources per page
 * (per-patient AES-256-GCM data keys, strict durability), resourcesOfPatient for the chart,
 * searchPatients on the in-memory index built at open. The vault (PBKDF2 600k) is made before
 * the clock starts.
 */
const crypto = globalThis.crypto as unknown as WebCrypto;

export async function openOursStore(name: string): Promise<BenchStore> {
  const { vault } = await createVault(crypto, await importDeviceSecret(crypto, newDeviceSecret(crypto)), 'bench passphrase, not a secret');
  const open = (): Promise<Replica> => openReplica({ name, crypto, vault, multiInstance: false });
  let replica = await open();
  return {
    write: (docs) => replica.putServerResources(docs.map((d) => ({ resource: d.resource, patient: d.patient }))),
    chart: async (patient) => (await replica.resourcesOfPatient(patient)).filter((entry) => entry.resource !== null).length,
    search: async (text) => (await replica.searchPatients(text)).length,
    async reopen() {
      await replica.close();
      replica = await open();
    },
    close: () => replica.close(),
  };
}
