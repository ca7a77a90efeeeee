import { changePassphrase, createVault, unlockVault } from '../../shared/crypto/key-hierarchy';
import { passphraseContextWords } from '../features/unlock/passphrase-policy';
import { WrongPassphraseError } from '../../shared/crypto/errors';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import { ReplicaTooNewError, VaultMismatchError } from '../db/errors';
import { startIdleLock, saveIdleMinutes, type IdleLock } from '../features/unlock/idle-lock';
import { newReplicaName, type VaultEntry, type VaultStore } from '../features/unlock/vault-store';
import { HostError, type Host, type HieSession } from '../host/host';
import type { SyncStatusStore } from '../sync/sync-status';
import type { LockedSourceProgress, LockReason, SessionStore, SessionView } from './session-store';
import type { LockedSync, LockedSyncEvents, LockedSyncRequest } from './locked-sync-client';
import { openOtherSources, type ClosedSource } from './other-sources';
import { openWorkspace, type DataSide, type Workspace } from './workspace';

/**
 * The day's life cycle: first run (sign in, choose a passphrase), unlock (offline too), idle and
 * manual lock. Lives outside React so StrictMode's double effects cannot open a replica twice.
 * At lock the view changes first (patient data leaves the screen at once), then the sync stops
 * and the replica closes, which drops every key from memory.
 */
export type SessionController = Readonly<{
  start(): Promise<void>;
  signIn(): Promise<void>;
  choosePassphrase(passphrase: string): Promise<void>;
  unlock(passphrase: string): Promise<void>;
  /** From the locked screen when unlocking needs the HIE first (too many wrong passphrases, offline lease over). */
  signInToUnlock(): Promise<void>;
  /** The clinician's and the HIE's names, for the strength meter's dictionary (best effort, never waits long). */
  passphraseContext(): Promise<string[]>;
  /** A new passphrase for the open replica: the current one is checked (a counted unlock attempt), the replica key re-wrapped. */
  changePassphrase(current: string, next: string): Promise<ChangePassphraseOutcome>;
  lock(reason: LockReason): Promise<void>;
  /** From the sync bar when the HIE asks for a new sign-in; the data stays open (Electron) or the page comes back locked (web). */
  signInAgain(): Promise<void>;
  setIdleMinutes(minutes: number): void;
}>;

export type ChangePassphraseOutcome = 'changed' | 'wrong-passphrase' | 'throttled' | 'sign-in-required' | 'failed';

export type SessionControllerDeps = Readonly<{
  host: Host;
  crypto: WebCrypto;
  vaults: VaultStore;
  store: SessionStore;
  status: SyncStatusStore;
  window: Window;
  /**
   * Starts the data side for one session (the product: a data worker, app/data-worker-launch.ts),
   * with its port to the platform from the host, or from `platformPort` (another source's).
   */
  startDataSide(platformPort?: () => Promise<MessagePort | null>): Promise<DataSide>;
  /**
   * Starts the sync while locked (the product: a locked sync worker, app/locked-sync-client.ts);
   * absent, a lock stops the sync. `source`: another FHIR source's, on that source's platform port
   * and services (other-sources.ts, ClosedSource).
   */
  startLockedSync?(request: LockedSyncRequest, events: LockedSyncEvents, source?: Pick<ClosedSource, 'platformPort' | 'services'>): Promise<LockedSync>;
  /** Tests shorten the poll; the product uses the runner's default. */
  pollMs?: number;
}>;

/** Host failures the clinician can act on, as sentences; anything else is "try again". */
function signInErrorKey(error: unknown): string {
  if (error instanceof HostError) {
    switch (error.code) {
      case 'SIGN_IN_CANCELLED':
        return 'signIn.error.cancelled';
      case 'HIE_UNREACHABLE':
        return 'signIn.error.unreachable';
      default:
        return 'signIn.error.failed';
    }
  }
  return 'signIn.error.failed';
}

/** Why an unlock failed, as the sentence to show. */
function unlockErrorKey(error: unknown): string {
  if (error instanceof WrongPassphraseError) return 'unlock.error.wrongPassphrase';
  if (error instanceof VaultMismatchError) return 'unlock.error.mismatch';
  if (error instanceof ReplicaTooNewError) return 'unlock.error.replicaTooNew';
  if (error instanceof HostError) {
    switch (error.code) {
      case 'UNLOCK_THROTTLED':
        return 'unlock.error.throttled';
      case 'UNLOCK_SIGN_IN_REQUIRED':
        return 'unlock.error.signInRequired';
      case 'OFFLINE_LEASE_EXPIRED':
        return 'unlock.error.leaseExpired';
      case 'DEVICE_SECRET_LOST':
        return 'unlock.error.deviceSecretLost';
      default:
        break;
    }
  }
  return 'unlock.error.open';
}

const keychainUnavailable = (error: unknown): boolean => error instanceof HostError && error.code === 'KEYCHAIN_UNAVAILABLE';

/** The last successful sync, kept in the vault entry (at most twice a minute) so it shows after a restart. */
function persistLastSync(deps: SessionControllerDeps): () => void {
  let lastWrite = 0;
  return deps.status.subscribe((state, previous) => {
    if (state.lastSuccessAt === null || state.lastSuccessAt === previous.lastSuccessAt) return;
    if (Date.now() - lastWrite < 30_000) return;
    lastWrite = Date.now();
    void deps.vaults.update({ lastSyncAt: state.lastSuccessAt }).catch(() => undefined);
  });
}

export function createSessionController(deps: SessionControllerDeps): SessionController {
  const { store, host } = deps;
  let idle: IdleLock | null = null;
  let closing: Promise<void> = Promise.resolve();
  const setView = (view: SessionView): void => store.setState({ view });
  let stopPersisting: (() => void) | null = null;
  let lockedSync: LockedSync | null = null;
  /** The other sources' syncs while locked, by source id. */
  const lockedSourceSyncs = new Map<string, LockedSync>();
  /** The sync while locked stops (at unlock, at a wipe), the other sources' too: what they sealed waits in their inboxes for the fold-in. */
  const endLockedSync = (): void => {
    lockedSync?.end();
    lockedSync = null;
    for (const sync of lockedSourceSyncs.values()) sync.end();
    lockedSourceSyncs.clear();
    store.setState({ lockedSync: null, lockedSources: [] });
  };
  const setLockedSource = (id: string, patch: Partial<LockedSourceProgress> | null): void =>
    store.setState((state) => ({
      lockedSources: patch === null ? state.lockedSources.filter((s) => s.id !== id) : state.lockedSources.map((s) => (s.id === id ? { ...s, ...patch } : s)),
    }));
  /**
   * Each other source's sync while locked, as the primary's: on its own port, into its own inbox.
   * A wipe order from that source erases its replica and signs out of it; nothing else.
   */
  const startLockedSources = async (closed: readonly ClosedSource[]): Promise<void> => {
    if (deps.startLockedSync === undefined) return;
    const start = deps.startLockedSync;
    store.setState({ lockedSources: closed.map((source) => ({ id: source.id, label: source.label, received: 0, state: 'receiving' })) });
    await Promise.all(
      closed.map(async (source) => {
        const sync = await start(
          { handover: source.handover, replicaName: source.replicaName, owner: source.owner, ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}) },
          {
            progress: (progress) => {
              if (lockedSourceSyncs.has(source.id)) setLockedSource(source.id, progress);
            },
            wiped: () => {
              lockedSourceSyncs.get(source.id)?.end();
              lockedSourceSyncs.delete(source.id);
              void deps.vaults.updateSource(source.id, null).catch(() => undefined);
              setLockedSource(source.id, { state: 'wiped' });
            },
          },
          source,
        ).catch(() => null);
        // Unlocked (or wiped) meanwhile: it stops at once; a source that could not start goes on at unlock.
        if (sync === null) setLockedSource(source.id, null);
        else if (store.getState().view.kind !== 'locked') sync.end();
        else lockedSourceSyncs.set(source.id, sync);
      }),
    );
  };
  const wipedView = (result: { complete: boolean }): void => {
    stopSessionTimers();
    // The other sources' replicas close too: the device secret is gone, so they open no more (their files go with the rest of local data).
    const view = store.getState().view;
    if (view.kind === 'unlocked') void view.sources.close();
    void deps.vaults.remove().catch(() => undefined);
    setView({ kind: 'unavailable', errorKey: result.complete ? 'sync.error.WIPE_REQUIRED' : 'sync.error.WIPE_INCOMPLETE' });
  };

  /** The session's page-side timers stop: the idle lock, and the last sync's persistence. */
  const stopSessionTimers = (): void => {
    idle?.stop();
    idle = null;
    stopPersisting?.();
    stopPersisting = null;
  };
  /** The last successful sync is written to the vault entry when a session ends (it shows after a restart). */
  const keepLastSync = async (): Promise<void> => {
    const lastSyncAt = deps.status.getState().lastSuccessAt;
    if (lastSyncAt !== null) await deps.vaults.update({ lastSyncAt }).catch(() => undefined);
  };

  const ownerOf = (session: HieSession): VaultEntry['owner'] => ({ practitioner: session.practitioner, fhirBase: session.fhirBase });

  const enter = async (entry: VaultEntry, vault: Awaited<ReturnType<typeof unlockVault>>): Promise<void> => {
    await closing;
    endLockedSync();
    store.setState({ initialSyncDone: entry.initialSyncDone });
    const workspace = await openWorkspace({
      dataSide: await deps.startDataSide(),
      host,
      vault,
      entry,
      status: deps.status,
      window: deps.window,
      onWiped: wipedView,
      onInitialSyncDone: () => {
        store.setState({ initialSyncDone: true });
        void deps.vaults.update({ initialSyncDone: true }).catch(() => undefined);
      },
      onStopped: () => {
        // The data side died (its keys with it): back to the locked screen, saying why.
        const view = store.getState().view;
        if (view.kind !== 'unlocked') return;
        stopSessionTimers();
        void view.sources.close();
        setView({ kind: 'locked', reason: 'manual', errorKey: 'unlock.error.dataStopped', busy: false });
        void keepLastSync();
      },
      onUpgrading: (moved, total) => {
        const view = store.getState().view;
        if (view.kind === 'locked' && view.busy) setView({ ...view, upgrade: { moved, total } });
      },
      ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}),
    });
    const sources = openOtherSources({ host, vaults: deps.vaults, vault, window: deps.window, startDataSide: deps.startDataSide, ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}) });
    setView({ kind: 'unlocked', workspace, sources });
    stopPersisting = persistLastSync(deps);
    idle?.stop();
    idle = startIdleLock({ target: deps.window, minutes: store.getState().idleMinutes, onIdle: () => void controller.lock('idle') });
  };

  const controller: SessionController = {
    async start() {
      let entry: VaultEntry | null;
      try {
        entry = await deps.vaults.read();
      } catch {
        setView({ kind: 'unavailable', errorKey: 'unlock.error.storage' });
        return;
      }
      let session: HieSession | null = null;
      let errorKey: string | null = null;
      try {
        session = await host.session();
      } catch (error: unknown) {
        errorKey = signInErrorKey(error);
      }
      if (entry !== null) {
        if (session !== null && session.practitioner !== entry.owner.practitioner) {
          await host.signOut().catch(() => undefined);
          errorKey = 'signIn.error.otherClinician';
        }
        setView({ kind: 'locked', reason: 'start', errorKey, busy: false });
        return;
      }
      setView(session !== null ? { kind: 'choose-passphrase', session, errorKey: null, busy: false } : { kind: 'sign-in', errorKey, busy: false });
    },

    async signIn() {
      setView({ kind: 'sign-in', errorKey: null, busy: true });
      try {
        const session = await host.signIn();
        setView({ kind: 'choose-passphrase', session, errorKey: null, busy: false });
      } catch (error: unknown) {
        setView({ kind: 'sign-in', errorKey: signInErrorKey(error), busy: false });
      }
    },

    async choosePassphrase(passphrase) {
      const view = store.getState().view;
      if (view.kind !== 'choose-passphrase') return;
      setView({ ...view, busy: true, errorKey: null });
      try {
        const { record, vault } = await createVault(deps.crypto, host.vaultKeys(), passphrase);
        const entry: VaultEntry = {
          format: 1,
          record,
          owner: ownerOf(view.session),
          replicaName: newReplicaName(deps.window.crypto),
          createdAt: new Date().toISOString(),
          lastSyncAt: null,
          initialSyncDone: false,
        };
        await deps.vaults.write(entry);
        await enter(entry, vault);
      } catch (error: unknown) {
        if (keychainUnavailable(error)) setView({ kind: 'unavailable', errorKey: 'unlock.error.keychain' });
        else setView({ ...view, busy: false, errorKey: 'passphrase.error.create' });
      }
    },

    async unlock(passphrase) {
      const view = store.getState().view;
      if (view.kind !== 'locked' || view.busy) return;
      setView({ ...view, busy: true, errorKey: null });
      try {
        const entry = await deps.vaults.read();
        if (entry === null) {
          setView({ kind: 'sign-in', errorKey: null, busy: false });
          return;
        }
        const vault = await unlockVault(deps.crypto, entry.record, host.vaultKeys(), passphrase);
        await enter(entry, vault);
      } catch (error: unknown) {
        if (keychainUnavailable(error)) {
          setView({ kind: 'unavailable', errorKey: 'unlock.error.keychain' });
          return;
        }
        setView({ ...view, busy: false, errorKey: unlockErrorKey(error) });
      }
    },

    async signInToUnlock() {
      const view = store.getState().view;
      if (view.kind !== 'locked' || view.busy) return;
      setView({ ...view, busy: true, errorKey: null });
      try {
        const entry = await deps.vaults.read();
        const session = await host.signIn();
        if (entry !== null && session.practitioner !== entry.owner.practitioner) {
          await host.signOut().catch(() => undefined);
          setView({ ...view, busy: false, errorKey: 'signIn.error.otherClinician' });
          return;
        }
        setView({ ...view, busy: false, errorKey: null });
      } catch (error: unknown) {
        setView({ ...view, busy: false, errorKey: signInErrorKey(error) });
      }
    },

    async passphraseContext() {
      const view = store.getState().view;
      const who = view.kind === 'choose-passphrase' ? view.session : view.kind === 'unlocked' ? view.workspace.owner : null;
      if (who === null) return passphraseContextWords(null, '');
      const practitioner = await Promise.race([
        host
          .fhirTransport()
          .send({ method: 'GET', target: who.practitioner })
          .then((response) => (response.status === 200 ? response.body : null))
          .catch(() => null),
        new Promise<null>((resolve) => deps.window.setTimeout(() => resolve(null), 3000)),
      ]);
      return passphraseContextWords(practitioner, who.fhirBase);
    },

    async changePassphrase(current, next) {
      if (store.getState().view.kind !== 'unlocked') return 'failed';
      try {
        const entry = await deps.vaults.read();
        if (entry === null) return 'failed';
        const record = await changePassphrase(deps.crypto, entry.record, host.vaultKeys(), current, next);
        await deps.vaults.update({ record });
        return 'changed';
      } catch (error: unknown) {
        if (error instanceof WrongPassphraseError) return 'wrong-passphrase';
        if (error instanceof HostError && error.code === 'UNLOCK_THROTTLED') return 'throttled';
        if (error instanceof HostError && error.code === 'UNLOCK_SIGN_IN_REQUIRED') return 'sign-in-required';
        return 'failed';
      }
    },

    async lock(reason) {
      const view = store.getState().view;
      if (view.kind !== 'unlocked') return;
      stopSessionTimers();
      setView({ kind: 'locked', reason, errorKey: null, busy: false });
      const workspace: Workspace = view.workspace;
      closing = (async () => {
        const [handover, closedSources] = await Promise.all([workspace.close().catch(() => null), view.sources.close().catch(() => [])]);
        await keepLastSync();
        if (store.getState().view.kind === 'locked') await startLockedSources(closedSources);
        if (handover === null || deps.startLockedSync === undefined || store.getState().view.kind !== 'locked') return;
        const entry = await deps.vaults.read().catch(() => null);
        if (entry === null) return;
        store.setState({ lockedSync: { received: 0, state: 'receiving' } });
        lockedSync = await deps
          .startLockedSync(
            { handover, replicaName: entry.replicaName, owner: entry.owner, ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}) },
            {
              // Heard only until the client is ended (endLockedSync): a late event cannot bring a count back.
              progress: (progress) => store.setState({ lockedSync: progress }),
              wiped: (result) => {
                endLockedSync();
                wipedView(result);
              },
            },
          )
          .catch(() => {
            // The sync goes on at unlock, as before there was a sync while locked.
            store.setState({ lockedSync: null });
            return null;
          });
      })();
      await closing;
    },

    async signInAgain() {
      const view = store.getState().view;
      if (view.kind !== 'unlocked') return;
      try {
        const session = await host.signIn();
        if (session.practitioner !== view.workspace.owner.practitioner) {
          await host.signOut().catch(() => undefined);
          view.workspace.needsSignIn();
          return;
        }
        view.workspace.runner.resume();
      } catch {
        view.workspace.needsSignIn();
      }
    },

    setIdleMinutes(minutes) {
      saveIdleMinutes(deps.window.localStorage, minutes);
      store.setState({ idleMinutes: minutes });
      const view = store.getState().view;
      if (view.kind !== 'unlocked') return;
      idle?.stop();
      idle = startIdleLock({ target: deps.window, minutes, onIdle: () => void controller.lock('idle') });
    },
  };
  return controller;
}
