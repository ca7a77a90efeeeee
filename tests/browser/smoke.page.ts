import { createVault, importDeviceSecret, newDeviceSecret, unlockVault, type VaultRecord } from '../../shared/crypto/key-hierarchy';
import { fromBase64Url, nativeBase64, portableToBase64Url, toBase64Url } from '../../shared/crypto/bytes';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import type { SyncedResource } from '../../shared/fhir/resource';
import { openReplica, type Replica } from '../../renderer/db/replica';
import { expose } from './expose';

/**
 * Page side of harness.test.ts: the real encrypted replica (renderer/db) in Chromium's IndexedDB.
 * Nothing identifying is in this script (it lands in Chromium's caches): the canary names arrive
 * as call arguments.
 */
const crypto = globalThis.crypto as unknown as WebCrypto;
const passphrase = 'correct horse battery staple';
const replicaName = 'harness-smoke';
const patientRef = 'Patient/smoke-1';

export type VaultSecrets = Readonly<{ deviceSecret: string; record: VaultRecord }>;

async function open(secrets: VaultSecrets): Promise<Replica> {
  const deviceSecret = await importDeviceSecret(crypto, fromBase64Url(secrets.deviceSecret));
  const vault = await unlockVault(crypto, secrets.record, deviceSecret, passphrase);
  return openReplica({ name: replicaName, crypto, vault, multiInstance: false });
}

const stamp = { versionId: 'v1', lastUpdated: '2025-03-01T10:00:00.000Z' };

function resources(family: string): SyncedResource[] {
  const patient: SyncedResource = { resourceType: 'Patient', id: 'smoke-1', meta: stamp, name: [{ family, given: ['Hélène'] }], birthDate: '1950-03-12' };
  const observations = Array.from({ length: 9 }, (_, i): SyncedResource => ({
    resourceType: 'Observation',
    id: `smoke-obs-${i}`,
    meta: stamp,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: patientRef },
    valueQuantity: { value: 60 + i, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  }));
  return [patient, ...observations];
}

const api = {
  /** A new vault; its device secret and record go back to the test, as the keychain and disk would keep them. */
  async newVault(): Promise<VaultSecrets> {
    const bytes = newDeviceSecret(crypto);
    const deviceSecret = toBase64Url(bytes);
    const { record } = await createVault(crypto, await importDeviceSecret(crypto, bytes), passphrase);
    bytes.fill(0);
    return { deviceSecret, record };
  },

  async writeResources(secrets: VaultSecrets, family: string): Promise<number> {
    const replica = await open(secrets);
    try {
      const rows = resources(family).map((resource) => ({ resource, patient: patientRef }));
      await replica.putServerResources(rows);
      return rows.length;
    } finally {
      await replica.close();
    }
  },

  async readResources(secrets: VaultSecrets, family: string): Promise<{ refs: string[]; families: string[]; found: string[] }> {
    const replica = await open(secrets);
    try {
      const chart = await replica.resourcesOfPatient(patientRef);
      const families = chart.flatMap((entry) => {
        const names: unknown = entry.resource?.['name'];
        return Array.isArray(names) ? names.map((n: unknown) => String(Reflect.get(Object(n), 'family'))) : [];
      });
      const found = (await replica.searchPatients(family)).map((entry) => entry.ref);
      return { refs: chart.map((entry) => entry.ref), families, found };
    } finally {
      await replica.close();
    }
  },

  /** The positive control of the disk scan: the same kind of value, in clear, in a plain IndexedDB store. */
  async writeInClear(family: string): Promise<void> {
    const request = indexedDB.open('harness-clear-control', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('docs', { keyPath: 'id' });
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB open failed'));
    });
    const tx = db.transaction('docs', 'readwrite', { durability: 'strict' });
    tx.objectStore('docs').put({ id: 'control', resource: resources(family)[0] });
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    });
    db.close();
  },

  /** Chromium's own base64url (what the app uses) against ours, on every length to 96 and random bytes: the row store's keys must not change with the engine. */
  base64Agrees(): { native: boolean; compared: number; mismatches: number } {
    let compared = 0;
    let mismatches = 0;
    for (let length = 0; length <= 96; length += 1) {
      for (let round = 0; round < 20; round += 1) {
        const bytes = crypto.getRandomValues(new Uint8Array(length));
        const text = toBase64Url(bytes);
        compared += 1;
        if (text !== portableToBase64Url(bytes) || fromBase64Url(text).join() !== bytes.join()) mismatches += 1;
      }
    }
    return { native: nativeBase64, compared, mismatches };
  },

  /** A request to another path of the origin: it must reach the real server, same-origin. */
  async fetchText(path: string): Promise<string> {
    const response = await fetch(path);
    return `${response.status} ${await response.text()}`;
  },
};

export type SmokeApi = typeof api;

expose(api);
