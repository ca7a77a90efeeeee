import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { KekSource } from '../../../../shared/crypto/key-hierarchy';
import type { WebCrypto } from '../../../../shared/crypto/webcrypto';
import { TransportError } from '../../../../shared/hie/transport';
import { createSessionController } from '../../../../renderer/app/session-controller';
import { formatDatabaseName, replicaFormat } from '../../../../renderer/db/replica-format';
import { createSessionStore } from '../../../../renderer/app/session-store';
import { createVaultStore } from '../../../../renderer/features/unlock/vault-store';
import { openRowStore, rowStoreName } from '../../../../renderer/db/row-store';
import { toBase64Url } from '../../../../shared/crypto/bytes';
import { HostError, type HieSession, type Host } from '../../../../renderer/host/host';
import { createSyncStatusStore } from '../../../../renderer/sync/sync-status';
import { inProcessDataSide } from '../../../support/in-process-data-side';
import { testHost, testWindow } from '../../../support/test-platform';

const webCrypto = crypto as unknown as WebCrypto;
const doctor: HieSession = { practitioner: 'Practitioner/doc', fhirBase: 'http://127.0.0.1:8787/fhir' };
const passphrase = 'Marée haute sur le sillon de Saint-Malo';

/** The platform, offline: a device secret, a session, and a HIE that never answers. */
const neverAnswers = {
  send: async (): Promise<never> => {
    throw new TransportError('offline');
  },
};
function fakeHost(session: HieSession | null): Host & { signOut: ReturnType<typeof vi.fn> } {
  const signOut = vi.fn(async () => undefined);
  return Object.assign(testHost({ session, signIn: doctor, transport: neverAnswers }, { signOut }), { signOut });
}

function setup(session: HieSession | null) {
  // Each test its own vault database; replicas have random names.
  const host = fakeHost(session);
  const store = createSessionStore({ idleMinutes: 10 });
  const status = createSyncStatusStore();
  const vaults = createVaultStore(new (indexedDB.constructor as { new (): IDBFactory })());
  const controller = createSessionController({ host, crypto: webCrypto, vaults, store, status, window: testWindow(false), startDataSide: async () => inProcessDataSide(webCrypto) });
  return { host, store, status, vaults, controller };
}

// Each test derives vault keys (PBKDF2, 600,000 rounds) several times: 1.3 s at worst loaded.
describe('the day’s life cycle', { timeout: 20_000 }, () => {
  it('first run: sign in, choose a passphrase, and the records open (the vault names its clinician)', async () => {
    const { controller, store, vaults } = setup(null);
    await controller.start();
    expect(store.getState().view.kind).toBe('sign-in');
    await controller.signIn();
    expect(store.getState().view).toMatchObject({ kind: 'choose-passphrase', session: doctor });
    await controller.choosePassphrase(passphrase);
    expect(store.getState().view.kind).toBe('unlocked');
    expect((await vaults.read())?.owner).toEqual(doctor);
    await controller.lock('manual');
  });

  it('a lock hides the records at once and closes the replica: its keys are gone', async () => {
    const { controller, store } = setup(doctor);
    await controller.start();
    await controller.choosePassphrase(passphrase);
    const view = store.getState().view;
    if (view.kind !== 'unlocked') throw new Error('not unlocked');
    const lockDone = controller.lock('idle');
    expect(store.getState().view).toMatchObject({ kind: 'locked', reason: 'idle' });
    await lockDone;
    await expect(view.workspace.replica.searchPatientRefs('a')).rejects.toThrow();
    await expect(view.workspace.replica.getResource('Patient/x')).rejects.toThrow();
  });

  it('unlocks without network; a wrong passphrase is refused with a sentence, the right one opens', async () => {
    const { controller, store } = setup(doctor);
    await controller.start();
    await controller.choosePassphrase(passphrase);
    await controller.lock('manual');
    await controller.unlock('pas la bonne phrase du tout');
    expect(store.getState().view).toMatchObject({ kind: 'locked', errorKey: 'unlock.error.wrongPassphrase' });
    await controller.unlock(passphrase);
    expect(store.getState().view.kind).toBe('unlocked');
    await controller.lock('manual');
  });

  it('a replica a newer Relais wrote is refused at unlock with a sentence (across the data side’s port), and nothing of it is changed', async () => {
    const { controller, store, vaults } = setup(doctor);
    await controller.start();
    await controller.choosePassphrase(passphrase);
    await controller.lock('manual');
    const name = (await vaults.read())?.replicaName as string;
    const open = indexedDB.open(formatDatabaseName(name), 1);
    const db = await new Promise<IDBDatabase>((resolve) => {
      open.onsuccess = () => resolve(open.result);
    });
    const tx = db.transaction('format', 'readwrite');
    tx.objectStore('format').put({ format: replicaFormat + 1 }, 'replica');
    await new Promise<void>((resolve) => {
      tx.oncomplete = () => resolve();
    });
    db.close();
    await controller.unlock(passphrase);
    expect(store.getState().view).toMatchObject({ kind: 'locked', errorKey: 'unlock.error.replicaTooNew' });
    expect((await vaults.read())?.replicaName).toBe(name);
  });

  it('says why main refused an unlock (throttled, sign-in required, lease over, key lost), and an online sign-in from the locked screen lifts the block', async () => {
    const { controller, store, host } = setup(doctor);
    await controller.start();
    await controller.choosePassphrase(passphrase);
    await controller.lock('manual');
    const real = host.vaultKeys();
    let refusal: string | null = null;
    const guarded: KekSource = {
      ...real,
      kekForVault: async (...args) => {
        if (refusal !== null) throw new HostError(refusal);
        return real.kekForVault(...args);
      },
    };
    (host as { vaultKeys: () => KekSource }).vaultKeys = () => guarded;
    for (const [code, key] of [
      ['UNLOCK_THROTTLED', 'unlock.error.throttled'],
      ['OFFLINE_LEASE_EXPIRED', 'unlock.error.leaseExpired'],
      ['DEVICE_SECRET_LOST', 'unlock.error.deviceSecretLost'],
      ['UNLOCK_SIGN_IN_REQUIRED', 'unlock.error.signInRequired'],
    ] as const) {
      refusal = code;
      await controller.unlock(passphrase);
      expect(store.getState().view).toMatchObject({ kind: 'locked', errorKey: key, busy: false });
    }
    refusal = null;
    await controller.signInToUnlock();
    expect(store.getState().view).toMatchObject({ kind: 'locked', errorKey: null, busy: false });
    await controller.unlock(passphrase);
    expect(store.getState().view.kind).toBe('unlocked');
    await controller.lock('manual');
  });

  it('changes the passphrase while open: a wrong current one changes nothing; afterwards only the new one unlocks', async () => {
    const { controller, store } = setup(doctor);
    await controller.start();
    await controller.choosePassphrase(passphrase);
    const next = 'Trois goélands sur la digue de Perros-Guirec';
    expect(await controller.changePassphrase('pas la bonne phrase du tout', next)).toBe('wrong-passphrase');
    expect(await controller.changePassphrase(passphrase, next)).toBe('changed');
    await controller.lock('manual');
    await controller.unlock(passphrase);
    expect(store.getState().view).toMatchObject({ kind: 'locked', errorKey: 'unlock.error.wrongPassphrase' });
    await controller.unlock(next);
    expect(store.getState().view.kind).toBe('unlocked');
    await controller.lock('manual');
    // Locked: no change possible.
    expect(await controller.changePassphrase(next, passphrase)).toBe('failed');
  });

  it('a later start goes to the unlock screen; another clinician’s sign-in is refused and signed out', async () => {
    const first = setup(doctor);
    await first.controller.start();
    await first.controller.choosePassphrase(passphrase);
    await first.controller.lock('manual');
    const other = fakeHost({ practitioner: 'Practitioner/someone-else', fhirBase: doctor.fhirBase });
    const store = createSessionStore({ idleMinutes: 10 });
    const controller = createSessionController({ host: other, crypto: webCrypto, vaults: first.vaults, store, status: createSyncStatusStore(), window: testWindow(false), startDataSide: async () => inProcessDataSide(webCrypto) });
    await controller.start();
    expect(store.getState().view).toMatchObject({ kind: 'locked', reason: 'start', errorKey: 'signIn.error.otherClinician' });
    expect(other.signOut).toHaveBeenCalled();
  });
});

/** The replica's row store as the previous release left it (version 1: every field as text, in 'rows'), holding `count` rows. */
async function asVersion1RowStore(replicaName: string, count: number): Promise<void> {
  const done = <T>(request: IDBRequest<T>): Promise<T> =>
    new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
    });
  await done(indexedDB.deleteDatabase(rowStoreName(replicaName)) as unknown as IDBRequest<unknown>);
  const open = indexedDB.open(rowStoreName(replicaName), 1);
  open.onupgradeneeded = () => {
    const store = open.result.createObjectStore('rows', { keyPath: 'id' });
    store.createIndex('patientKey', 'patientKey');
    store.createIndex('typeKey', 'typeKey');
  };
  const db = await done(open);
  const tx = db.transaction('rows', 'readwrite');
  const label = (n: number, fill: number): string => toBase64Url(Uint8Array.of(n >> 8, n & 255, ...new Uint8Array(30).fill(fill)));
  for (let i = 0; i < count; i += 1) tx.objectStore('rows').put({ id: label(i, 1), name: label(i, 2), typeKey: label(0, 3), patientKey: label(0, 4), stamp: 's', body: new Uint8Array(40) });
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('write failed'));
  });
  db.close();
}

describe('a replica from the previous release', { timeout: 20_000 }, () => {
  it('is moved to this release’s store while it unlocks, the locked screen showing how far; then the records open', async () => {
    const { controller, store, vaults } = setup(doctor);
    await controller.start();
    await controller.choosePassphrase(passphrase);
    await controller.lock('manual');
    const { replicaName } = (await vaults.read())!;
    await asVersion1RowStore(replicaName, 1500);
    const seen: Array<Readonly<{ moved: number; total: number }>> = [];
    const stop = store.subscribe((state) => {
      if (state.view.kind === 'locked' && state.view.upgrade !== undefined) seen.push(state.view.upgrade);
    });
    await controller.unlock(passphrase);
    stop();
    expect(store.getState().view.kind).toBe('unlocked');
    expect(seen).toEqual([{ moved: 1000, total: 1500 }, { moved: 1500, total: 1500 }]);
    await controller.lock('manual');
    const rows = await openRowStore(replicaName);
    expect(await rows.count()).toBe(1500);
    rows.close();
  });
});
