/**
 * Sync while locked, end to end in Node: the real session controller, the real data side and the
 * real locked sync side (over MessageChannels, as in their workers), the real replica and inbox on
 * fake-indexeddb, the sandbox over HTTP with a real token. The browser walk
 * (tests/e2e/data-worker.spec.ts) runs the same in real workers in Chromium.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { createFetchTransport } from '../../../shared/hie/fetch-transport';
import { TransportError, type FhirTransport } from '../../../shared/hie/transport';
import { typesToSync } from '../../../shared/sync/resource-types';
import { clientResourceScopes } from '../../../shared/sync/client-scope';
import type { SessionView } from '../../../renderer/app/session-store';
import type { Workspace } from '../../../renderer/app/workspace';
import { inboxDatabaseName } from '../../../renderer/db/inbox';
import { rowStoreName } from '../../../renderer/db/row-store';
import type { HieSession } from '../../../renderer/host/host';
import type { Sandbox } from '../../../sandbox/server.ts';
import { testHost } from '../../support/test-platform';
import { control, hieActor, lockableDevice, openDatabase, rawText, serverRefs, tokenFor, until, useTestSandbox, type Practitioner } from './support';

let sandbox: Sandbox;
let me: Practitioner;

useTestSandbox({}, (started) => {
  ({ sandbox } = started);
  [me] = started.staff as [Practitioner];
});

const passphrase = 'Le phare du Créac’h dans la brume';

/** Alters one byte of the inbox's `index`-th box (a damaged disk, or someone tampering). */
async function damageBox(replicaName: string, index: number): Promise<void> {
  const db = await openDatabase(inboxDatabaseName(replicaName));
  const tx = db.transaction('boxes', 'readwrite');
  const store = tx.objectStore('boxes');
  const keys = await new Promise<IDBValidKey[]>((resolve) => {
    const request = store.getAllKeys();
    request.onsuccess = () => resolve(request.result);
  });
  const key = keys[index] as IDBValidKey;
  const box = await new Promise<Uint8Array>((resolve) => {
    const request = store.get(key);
    request.onsuccess = () => resolve(request.result as Uint8Array);
  });
  const altered = new Uint8Array(box);
  altered[altered.length - 20] = (altered[altered.length - 20] as number) ^ 0xff;
  store.put(altered, key);
  await new Promise<void>((resolve) => {
    tx.oncomplete = () => resolve();
  });
  db.close();
}

const workspaceOf = (view: SessionView): Workspace => {
  if (view.kind !== 'unlocked') throw new Error(`not unlocked: ${view.kind}`);
  return view.workspace;
};

type Traffic = { after: number; log: Array<{ target: string; refs: string[]; at: number }> };

/** A clinician's device: the controller with the real data and locked sides, a HIE transport the test can cut for one type. */
async function device() {
  const token = { value: (await tokenFor(sandbox, me.id, clientResourceScopes.join(' '))) as string | null };
  const inner = createFetchTransport({ fhirBase: sandbox.fhirBase, tokens: { accessToken: () => token.value, refresh: async () => false }, fetch, timeoutMs: 10_000 });
  const cut = { type: null as string | null };
  const traffic: Traffic = { after: 0, log: [] };
  const transport: FhirTransport = {
    async send(request) {
      if (cut.type !== null && request.target.startsWith(`${cut.type}?`)) throw new TransportError('offline');
      const response = await inner.send(request);
      const entries = (response.body as { entry?: Array<{ resource?: { resourceType?: string; id?: string } }> } | null)?.entry ?? [];
      traffic.log.push({ target: request.target, refs: entries.map((e) => `${e.resource?.resourceType ?? ''}/${e.resource?.id ?? ''}`), at: Date.now() });
      return response;
    },
  };
  const session: HieSession = { practitioner: `Practitioner/${me.id}`, fhirBase: sandbox.fhirBase };
  const eraseDeviceSecrets = vi.fn(async () => undefined);
  const host = testHost({ session, signIn: session, transport }, { eraseDeviceSecrets });
  const { window, store, status, vaults, controller } = lockableDevice(host);
  const workspace = (): Workspace => workspaceOf(store.getState().view);
  /** Every ref the replica holds, over every synced type. */
  const held = async (): Promise<Set<string>> => {
    const refs = new Set<string>();
    for (const type of typesToSync(null)) for (const entry of await workspace().replica.resourcesOfType(type)) refs.add(entry.ref);
    return refs;
  };
  const replicaName = async (): Promise<string> => ((await vaults.read()) as { replicaName: string }).replicaName;
  return { controller, store, status, token, cut, traffic, window, held, replicaName, eraseDeviceSecrets };
}

type Device = Awaited<ReturnType<typeof device>>;

/** First run on a device whose network fails for Observations: the first sync stops there, and the lock comes. */
async function lockDuringFirstSync(d: Device, all: ReadonlySet<string>): Promise<void> {
  d.cut.type = 'Observation';
  await d.controller.start();
  await d.controller.choosePassphrase(passphrase);
  await until('first sync cut at Observations', () => d.status.getState().network, (n) => n === 'offline');
  expect((await d.held()).size).toBeLessThan(all.size);
  await d.controller.lock('manual');
  await until('locked sync stalled at Observations', () => d.store.getState().lockedSync, (p) => p?.state === 'offline');
}

/** The network comes back (the locked side goes on to the end). */
async function networkBack(d: Device): Promise<void> {
  d.cut.type = null;
  d.window.dispatchEvent(new Event('online'));
  const caughtUp = await until('locked sync caught up', () => d.store.getState().lockedSync, (p) => p?.state === 'caught-up');
  expect(caughtUp?.received).toBeGreaterThan(0);
}

/** Unlock, and wait for a sync that started after it to end without error. Resources received after it: `refsAfter`. */
async function unlockAndSettle(d: Device): Promise<void> {
  d.traffic.after = Date.now();
  await d.controller.unlock(passphrase);
  await until('sync after unlock', () => d.status.getState(), (s) => s.phase === 'idle' && s.lastSuccessAt !== null && Date.parse(s.lastSuccessAt) > d.traffic.after && s.error === null);
}

/** Each resource the type pulls received after the unlock, once (a loaded machine makes several runs). */
const refsAfter = (d: Device, type?: string): Set<string> =>
  new Set(d.traffic.log.filter((e) => e.at >= d.traffic.after && e.target.includes('_sort=_lastUpdated') && (type === undefined || e.target.startsWith(`${type}?`))).flatMap((e) => e.refs));

describe('sync while locked', { timeout: 120_000 }, () => {
  it('a lock during the first sync: the locked side pulls the rest sealed (unreadable on disk), and the unlock folds it in: the replica is the HIE’s, not fetched twice', async () => {
    await control(sandbox, 'POST', 'reset');
    const d = await device();
    const all = await serverRefs(sandbox, await tokenFor(sandbox, me.id));
    await lockDuringFirstSync(d, all);

    // While locked, someone else changes the record: a note the locked side receives.
    const observation = (await hieActor(sandbox, await tokenFor(sandbox, me.id)).search(`Observation?patient=${me.patients[0] as string}&_count=1`))[0] as Record<string, unknown>;
    const marker = `Canary-locked-${crypto.randomUUID()}`;
    const updated = await hieActor(sandbox, await tokenFor(sandbox, me.id)).call('PUT', `Observation/${observation['id'] as string}`, { ...observation, note: [{ text: marker }] });
    expect(updated.status).toBe(200);

    await networkBack(d);

    // What it received is on disk, sealed: neither the note, nor a patient's id, nor a resource type reads there.
    const name = await d.replicaName();
    const inbox = await rawText(inboxDatabaseName(name));
    expect(inbox.length).toBeGreaterThan(1000);
    expect(inbox).not.toContain(marker);
    expect(inbox).not.toContain(me.patients[0] as string);
    expect(inbox).not.toContain('Observation');

    // Unlock: the boxes are folded in, and the sync after fetches only what changed since.
    await unlockAndSettle(d);
    await until('initial sync done', () => d.store.getState().initialSyncDone, (done) => done);
    const held = await d.held();
    expect([...all].filter((ref) => !held.has(ref))).toEqual([]);
    expect([...held].filter((ref) => !all.has(ref))).toEqual([]);
    const folded = await workspaceOf(d.store.getState().view).replica.getResource(`Observation/${observation['id'] as string}`);
    expect((folded?.resource as { note?: Array<{ text: string }> } | undefined)?.note?.[0]?.text).toBe(marker);
    // Only the resources at each checkpoint's last instant come again (`_lastUpdated=ge`), not the
    // panel (without the fold-in: all of it).
    expect(refsAfter(d).size).toBeLessThan(all.size / 2);
    await d.controller.lock('manual');
  });

  it('a damaged box: it is dropped and no checkpoint moves past it, so the sync fetches again what it held; nothing is lost', async () => {
    await control(sandbox, 'POST', 'reset');
    const d = await device();
    const all = await serverRefs(sandbox, await tokenFor(sandbox, me.id));
    await lockDuringFirstSync(d, all);
    await networkBack(d);
    await damageBox(await d.replicaName(), 0);

    await unlockAndSettle(d);
    const held = await d.held();
    expect([...all].filter((ref) => !held.has(ref))).toEqual([]);
    // The checkpoints stayed where the lock found them: every Observation came again (had the
    // Observation checkpoint moved past the damaged box, only its last instant's would have).
    const observations = [...all].filter((ref) => ref.startsWith('Observation/'));
    expect(observations.length).toBeGreaterThan(10);
    expect([...refsAfter(d, 'Observation')].sort()).toEqual(observations.sort());
    await d.controller.lock('manual');
  });

  it('a 401 while locked pauses it with a sentence; a wipe ordered while locked erases the device secret, the replica and the inbox without any key', async () => {
    await control(sandbox, 'POST', 'reset');
    const d = await device();
    await d.controller.start();
    await d.controller.choosePassphrase(passphrase);
    await until('first sync done', () => d.store.getState().initialSyncDone, (done) => done);
    const name = await d.replicaName();

    const token = d.token.value;
    d.token.value = 'expired-token';
    await d.controller.lock('manual');
    await until('locked sync asks for a sign-in', () => d.store.getState().lockedSync, (p) => p?.state === 'sign-in');
    await d.controller.unlock(passphrase);
    d.token.value = token;

    await d.controller.lock('manual');
    await until('locked sync caught up', () => d.store.getState().lockedSync, (p) => p?.state === 'caught-up');
    expect((await indexedDB.databases()).some((db) => db.name === inboxDatabaseName(name))).toBe(true);
    expect((await control(sandbox, 'POST', 'wipe', { practitioner: me.id })).status).toBe(204);
    await until('wiped while locked', () => d.store.getState().view, (v) => v.kind === 'unavailable');
    expect(d.store.getState().view).toEqual({ kind: 'unavailable', errorKey: 'sync.error.WIPE_REQUIRED' });
    expect(d.eraseDeviceSecrets).toHaveBeenCalled();
    const left = (await indexedDB.databases()).map((db) => db.name ?? '').filter((db) => db.startsWith(`rxdb-dexie-${name}--`) || db === rowStoreName(name) || db === inboxDatabaseName(name));
    expect(left).toEqual([]);
  });
});
