/**
 * The sync engine against the real sandbox: FHIR over HTTP with real tokens, the real encrypted
 * replica (renderer/db) on fake-indexeddb in Node. Chromium's real IndexedDB is covered by
 * tests/integration/sync/chromium.test.ts.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createVault, importDeviceSecret, newDeviceSecret, type UnlockedVault } from '../../../shared/crypto/key-hierarchy';
import type { WebCrypto } from '../../../shared/crypto/webcrypto';
import { synchronize, type SyncReport } from '../../../shared/sync/engine';
import type { FhirTransport } from '../../../shared/hie/transport';
import { typesToSync } from '../../../shared/sync/resource-types';
import { clientResourceScopes } from '../../../shared/sync/client-scope';
import { createFetchTransport } from '../../../shared/hie/fetch-transport';
import { openReplica, type Replica } from '../../../renderer/db/replica';
import { setLogThreshold } from '../../../sandbox/log.ts';
import { startSandbox, type Sandbox } from '../../../sandbox/server.ts';
import { startLockedSync } from '../../../renderer/app/locked-sync-client';
import { createSessionController } from '../../../renderer/app/session-controller';
import { createSessionStore } from '../../../renderer/app/session-store';
import { createVaultStore } from '../../../renderer/features/unlock/vault-store';
import type { Host } from '../../../renderer/host/host';
import { createSyncStatusStore } from '../../../renderer/sync/sync-status';
import { inProcessDataSide, inProcessLockedSide } from '../../support/in-process-data-side';
import { testWindow } from '../../support/test-platform';

setLogThreshold('warn');

export const webcrypto = globalThis.crypto as unknown as WebCrypto;

export type Practitioner = { id: string; name: string; username: string; patients: string[] };

export async function startTestSandbox(options: Parameters<typeof startSandbox>[0] = {}): Promise<Sandbox> {
  return startSandbox({ patients: 8, resourcesPerPatient: 25, practitioners: 2, testMode: true, referenceDate: '2026-11-28', ...options });
}

/** Starts a sandbox before the file's tests (then hands it and its practitioners to `ready`) and closes it after them. */
export function useTestSandbox(options: Parameters<typeof startSandbox>[0], ready: (started: Readonly<{ sandbox: Sandbox; staff: Practitioner[] }>) => void): void {
  let started: Sandbox | null = null;
  beforeAll(async () => {
    started = await startTestSandbox(options);
    ready({ sandbox: started, staff: await practitioners(started) });
  });
  afterAll(async () => {
    await started?.close();
  });
}

export async function control<T = unknown>(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<{ status: number; body: T | undefined }> {
  const response = await fetch(`${sandbox.url}/_test/${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as T) : undefined };
}

export async function practitioners(sandbox: Sandbox): Promise<Practitioner[]> {
  return (await control<Practitioner[]>(sandbox, 'GET', 'practitioners')).body ?? [];
}

/** A token for the practitioner: by default the HIE's full user scope (what a test acting as the HIE's other users uses). */
export async function tokenFor(sandbox: Sandbox, practitioner: string, scope?: string): Promise<string> {
  const reply = await control<{ access_token: string }>(sandbox, 'POST', 'token', { practitioner, ...(scope === undefined ? {} : { scope }) });
  if (reply.status !== 200 || reply.body === undefined) throw new Error(`token: ${reply.status}`);
  return reply.body.access_token;
}

/** A clinician's laptop: a replica, a token, and the engine wired to the sandbox. */
export type Laptop = Readonly<{
  replica: Replica;
  transport: FhirTransport;
  practitioner: string;
  token: { value: string | null };
  sync(extra?: Partial<Parameters<typeof synchronize>[0]>): Promise<SyncReport>;
  close(): Promise<void>;
}>;

let vault: UnlockedVault | null = null;
export async function sharedVault(): Promise<UnlockedVault> {
  vault ??= (await createVault(webcrypto, await importDeviceSecret(webcrypto, newDeviceSecret(webcrypto)), 'correct horse battery staple')).vault;
  return vault;
}

export async function laptop(sandbox: Sandbox, practitionerId: string, name = `laptop-${randomUUID()}`, vault?: UnlockedVault, scope = clientResourceScopes.join(' ')): Promise<Laptop> {
  // By default the laptop holds what Relais asks for at sign-in, no more: a sync that needs a wider scope fails here.
  const token = { value: await tokenFor(sandbox, practitionerId, scope) as string | null };
  const replica = await openReplica({ name, crypto: webcrypto, vault: vault ?? (await sharedVault()) });
  const transport = createFetchTransport({ fhirBase: sandbox.fhirBase, tokens: { accessToken: () => token.value, refresh: async () => false }, fetch, timeoutMs: 10_000 });
  const practitioner = `Practitioner/${practitionerId}`;
  return {
    replica,
    transport,
    practitioner,
    token,
    sync: (extra = {}) =>
      synchronize({ transport, store: replica, practitioner, fhirBase: sandbox.fhirBase, pageSize: 50, newId: randomUUID, now: () => new Date().toISOString(), ...extra }),
    close: () => replica.close(),
  };
}

/** The server's view of one practitioner's scope: every resource ref the FHIR API returns them. */
export async function serverRefs(sandbox: Sandbox, token: string, types: readonly string[] = typesToSync(null)): Promise<Set<string>> {
  const refs = new Set<string>();
  for (const type of types) {
    let url: string | null = `${sandbox.fhirBase}/${type}?_count=500`;
    while (url !== null) {
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      const bundle = (await response.json()) as { entry?: Array<{ resource?: { resourceType: string; id: string } }>; link?: Array<{ relation: string; url: string }> };
      for (const e of bundle.entry ?? []) if (e.resource) refs.add(`${e.resource.resourceType}/${e.resource.id}`);
      url = bundle.link?.find((l) => l.relation === 'next')?.url ?? null;
    }
  }
  return refs;
}

/** Someone else changing the HIE: plain FHIR calls with their own token. */
export function hieActor(sandbox: Sandbox, token: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${sandbox.fhirBase}/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/fhir+json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  return {
    call,
    read: async (ref: string) => (await call('GET', ref)).body,
    search: async (query: string) => {
      const bundle = (await call('GET', query)).body as { entry?: Array<{ resource: Record<string, unknown> }> } | null;
      return (bundle?.entry ?? []).map((e) => e.resource);
    },
  };
}

export async function firstOfType(sandbox: Sandbox, token: string, type: string, patient: string): Promise<Record<string, unknown>> {
  const found = await hieActor(sandbox, token).search(`${type}?patient=${patient}&_count=1`);
  const first = found[0];
  if (first === undefined) throw new Error(`no ${type} for ${patient}`);
  return first;
}

/** Waits for a condition (polled), failing with what was last seen. */
export async function until<T>(what: string, read: () => T | Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
    last = await read();
  }
  return last;
}

/** One IndexedDB database of the global factory (fake-indexeddb in these tests). */
export const openDatabase = (name: string): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

/** Every raw value of one IndexedDB database, as text (what a thief copying the profile reads). */
export async function rawText(name: string): Promise<string> {
  const db = await openDatabase(name);
  try {
    const parts: string[] = [];
    for (const store of Array.from(db.objectStoreNames)) {
      const values = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(store, 'readonly').objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const value of values) parts.push(value instanceof Uint8Array ? new TextDecoder('latin1').decode(value) : JSON.stringify(value));
    }
    return parts.join('\n');
  } finally {
    db.close();
  }
}

/**
 * A clinician's device with the real session controller, the real data side and locked sync side
 * (over MessageChannels, as in their workers), a fresh vault store, online: another source's locked
 * sync runs on that source's own services.
 */
export function lockableDevice(host: Host) {
  const window = testWindow(true);
  const store = createSessionStore({ idleMinutes: 10 });
  const status = createSyncStatusStore();
  const vaults = createVaultStore(new (indexedDB.constructor as { new (): IDBFactory })());
  const controller = createSessionController({
    host,
    crypto: webcrypto,
    vaults,
    store,
    status,
    window,
    startDataSide: async () => inProcessDataSide(webcrypto),
    startLockedSync: (request, events, source) => startLockedSync(inProcessLockedSide(webcrypto), source?.services ?? host, window, request, events),
    pollMs: 100,
  });
  return { window, store, status, vaults, controller };
}
