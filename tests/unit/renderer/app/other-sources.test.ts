import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { WebCrypto } from '../../../../shared/crypto/webcrypto';
import { sourcesFrom } from '../../../../shared/exchange/source-policy';
import { TransportError } from '../../../../shared/hie/transport';
import { createSessionController, type SessionControllerDeps } from '../../../../renderer/app/session-controller';
import type { LockedSyncEvents, LockedSyncRequest } from '../../../../renderer/app/locked-sync-client';
import { createSessionStore } from '../../../../renderer/app/session-store';
import { createVaultStore } from '../../../../renderer/features/unlock/vault-store';
import { HostError, type HieSession, type OtherSourceSession } from '../../../../renderer/host/host';
import { localAuditAnchor } from '../../../../renderer/host/local-audit-anchor';
import { createSyncStatusStore } from '../../../../renderer/sync/sync-status';
import { inProcessDataSide } from '../../../support/in-process-data-side';
import { memoryStorage, testHost, testWindow } from '../../../support/test-platform';

const webCrypto = crypto as unknown as WebCrypto;
const doctor: HieSession = { practitioner: 'Practitioner/doc', fhirBase: 'http://127.0.0.1:8787/fhir' };
const atB: HieSession = { practitioner: 'Practitioner/b-77', fhirBase: 'http://127.0.0.1:8788/fhir' };
const passphrase = 'Marée haute sur le sillon de Saint-Malo';
const offline = {
  send: async (): Promise<never> => {
    throw new TransportError('offline');
  },
};
const sources = sourcesFrom({ fhirBase: doctor.fhirBase, label: 'HIE' }, [{ id: 'ch-b', label: 'CH B', fhirBase: atB.fhirBase }]).filter((s) => !s.primary);

/** The primary HIE and one other source (CH B), both offline; CH B's sign-in answers `whoAtB` (or fails with it). */
function setup() {
  const vaults = createVaultStore(new (indexedDB.constructor as { new (): IDBFactory })());
  let whoAtB: HieSession | HostError = atB;
  const signInB = vi.fn(async () => {
    if (whoAtB instanceof HostError) throw whoAtB;
    return whoAtB;
  });
  const signOutB = vi.fn(async () => undefined);
  const anchor = localAuditAnchor(memoryStorage(), webCrypto, 'ch-b');
  let leaseAtB = true;
  // What CH B's data port would be (Electron: main's port for that source; here a marker the test follows).
  const portOfB = { name: 'CH B’s port' } as unknown as MessagePort;
  const b: OtherSourceSession = { session: async () => null, signIn: signInB, signOut: signOutB, fhirTransport: () => offline, auditAnchor: () => anchor, dataPort: async () => portOfB, leaseHolds: async () => leaseAtB };
  const host = testHost({ session: doctor, signIn: doctor, transport: offline }, { otherSources: async () => sources, otherSource: (id) => (id === 'ch-b' ? b : null) });
  const store = createSessionStore({ idleMinutes: 10 });
  const started: string[] = [];
  const platformPorts: Array<MessagePort | null | 'host'> = [];
  const lockedCalls: Array<{ request: LockedSyncRequest; events: LockedSyncEvents; source: Parameters<NonNullable<SessionControllerDeps['startLockedSync']>>[2]; ended: boolean }> = [];
  const controller = createSessionController({
    host,
    crypto: webCrypto,
    vaults,
    store,
    status: createSyncStatusStore(),
    window: testWindow(false),
    startLockedSync: async (request, events, source) => {
      const call = { request, events, source, ended: false };
      lockedCalls.push(call);
      return { end: () => void (call.ended = true) };
    },
    startDataSide: async (platformPort) => {
      started.push('side');
      platformPorts.push(platformPort === undefined ? 'host' : await platformPort());
      return inProcessDataSide(webCrypto);
    },
  });
  const unlocked = () => {
    const view = store.getState().view;
    if (view.kind !== 'unlocked') throw new Error(`not unlocked: ${view.kind}`);
    return view;
  };
  return { controller, store, vaults, signInB, signOutB, started, platformPorts, portOfB, lockedCalls, unlocked, answerAtB: (who: HieSession | HostError) => (whoAtB = who), leaseAtB: (holds: boolean) => (leaseAtB = holds) };
}

describe('other FHIR sources in a session (issue 15)', { timeout: 30_000 }, () => {
  it('a source never signed in to is listed as such; its sign-in opens its own read-only replica, named in the vault entry', async () => {
    const { controller, vaults, started, unlocked } = setup();
    await controller.start();
    await controller.choosePassphrase(passphrase);
    const { sources: others, workspace } = unlocked();
    expect(others.views.getState().sources).toEqual([{ id: 'ch-b', label: 'CH B', state: 'signed-out', errorKey: null, status: null, revision: 0 }]);
    expect(started).toHaveLength(1);
    await others.signIn('ch-b');
    expect(others.views.getState().sources[0]).toMatchObject({ state: 'open', errorKey: null });
    expect(started).toHaveLength(2);
    const entry = await vaults.read();
    expect(entry?.sources).toEqual([{ id: 'ch-b', owner: atB, replicaName: expect.stringMatching(/^relais-[0-9a-f]{16}$/), lastSyncAt: null, initialSyncDone: false }]);
    expect(entry?.sources?.[0]?.replicaName).not.toBe(entry?.replicaName);
    // Read only: the data side refuses to record anything in another source's replica.
    const b = others.workspaces().get('ch-b')!;
    await expect(b.audit('chart-open', 'Patient/x')).rejects.toMatchObject({ code: 'READ_ONLY_SOURCE' });
    await workspace.audit('chart-open', 'Patient/x');
    await controller.lock('manual');
    expect(others.workspaces().size).toBe(0);
  });

  it('a source signed in to before opens at unlock, offline; another clinician’s sign-in there is refused and signed out', async () => {
    const again = setup();
    await again.controller.start();
    await again.controller.choosePassphrase(passphrase);
    await again.unlocked().sources.signIn('ch-b');
    await again.controller.lock('manual');
    again.signInB.mockClear();

    await again.controller.unlock(passphrase);
    const { sources: others } = again.unlocked();
    await vi.waitFor(() => expect(others.views.getState().sources[0]?.state).toBe('open'));
    expect(again.signInB).not.toHaveBeenCalled();
    expect(others.workspaces().has('ch-b')).toBe(true);

    again.answerAtB({ practitioner: 'Practitioner/someone-else', fhirBase: atB.fhirBase });
    await others.signIn('ch-b');
    expect(again.signOutB).toHaveBeenCalled();
    expect(others.views.getState().sources[0]).toMatchObject({ state: 'open', errorKey: 'signIn.error.otherClinician' });
    expect((await again.vaults.read())?.sources?.[0]?.owner).toEqual(atB);
    await again.controller.lock('manual');
  });

  it('a source’s data worker gets that source’s port (the HIE’s worker the host’s); past its offline lease a source stays closed, and says why', async () => {
    const { controller, unlocked, started, platformPorts, portOfB, leaseAtB } = setup();
    await controller.start();
    await controller.choosePassphrase(passphrase);
    await unlocked().sources.signIn('ch-b');
    expect(platformPorts).toEqual(['host', portOfB]);
    await controller.lock('manual');

    leaseAtB(false);
    await controller.unlock(passphrase);
    const { sources: others } = unlocked();
    await vi.waitFor(() => expect(others.views.getState().sources[0]).toMatchObject({ state: 'signed-out', errorKey: 'sources.error.leaseExpired' }));
    expect(others.workspaces().has('ch-b')).toBe(false);
    expect(started).toHaveLength(3); // the HIE's, CH B's at the first unlock, the HIE's again: none for CH B
    await controller.lock('manual');
  });

  it('at lock each source’s sync goes on in its own locked sync, on its own port and services; its wipe order erases it alone; unlock ends them all', async () => {
    const { controller, store, vaults, unlocked, lockedCalls, portOfB, signOutB } = setup();
    await controller.start();
    await controller.choosePassphrase(passphrase);
    await unlocked().sources.signIn('ch-b');
    const entry = await vaults.read();
    await controller.lock('manual');
    await vi.waitFor(() => expect(lockedCalls).toHaveLength(2));
    const primary = lockedCalls.find((call) => call.source === undefined);
    const atB = lockedCalls.find((call) => call.source !== undefined);
    expect(primary?.request).toMatchObject({ replicaName: entry?.replicaName, owner: entry?.owner });
    expect(atB?.request).toMatchObject({ replicaName: entry?.sources?.[0]?.replicaName, owner: { practitioner: 'Practitioner/b-77', fhirBase: 'http://127.0.0.1:8788/fhir' } });
    expect(atB?.request.handover.inboxPublicKey).not.toBe(primary?.request.handover.inboxPublicKey);
    expect(await atB?.source?.platformPort()).toBe(portOfB);
    expect(store.getState().lockedSources).toEqual([{ id: 'ch-b', label: 'CH B', received: 0, state: 'receiving' }]);
    atB?.events.progress({ received: 12, state: 'caught-up' });
    expect(store.getState().lockedSources).toEqual([{ id: 'ch-b', label: 'CH B', received: 12, state: 'caught-up' }]);

    // CH B withdraws this device while locked: its locked worker erased its replica (and signs out of it through its services); the entry goes, the HIE's sync goes on.
    await atB?.source?.services.eraseDeviceSecrets();
    expect(signOutB).toHaveBeenCalled();
    atB?.events.wiped({ complete: true, failed: [] });
    expect(atB?.ended).toBe(true);
    expect(primary?.ended).toBe(false);
    expect(store.getState().lockedSources).toEqual([{ id: 'ch-b', label: 'CH B', received: 12, state: 'wiped' }]);
    await vi.waitFor(async () => expect((await vaults.read())?.sources ?? []).toEqual([]));
    expect((await vaults.read())?.replicaName).toBe(entry?.replicaName);
    expect(store.getState().view.kind).toBe('locked');

    await controller.unlock(passphrase);
    expect(primary?.ended).toBe(true);
    expect(store.getState().lockedSources).toEqual([]);
    expect(unlocked().sources.workspaces().has('ch-b')).toBe(false);
    await controller.lock('manual');
  });

  it('a sign-in cancelled or blocked says so and opens nothing', async () => {
    const { controller, unlocked, answerAtB, started } = setup();
    await controller.start();
    await controller.choosePassphrase(passphrase);
    const { sources: others } = unlocked();
    answerAtB(new HostError('SIGN_IN_CANCELLED'));
    await others.signIn('ch-b');
    expect(others.views.getState().sources[0]).toMatchObject({ state: 'signed-out', errorKey: 'signIn.error.cancelled' });
    answerAtB(new HostError('SIGN_IN_BLOCKED'));
    await others.signIn('ch-b');
    expect(others.views.getState().sources[0]).toMatchObject({ state: 'signed-out', errorKey: 'sources.error.blocked' });
    expect(started).toHaveLength(1);
    await controller.lock('manual');
  });
});
