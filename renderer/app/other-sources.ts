import { createStore, type StoreApi } from 'zustand/vanilla';
import type { UnlockedVault } from '../../shared/crypto/key-hierarchy';
import type { LockedHandover } from '../../shared/sync/locked-pull';
import { newReplicaName, type SourceReplica, type VaultStore } from '../features/unlock/vault-store';
import { HostError, type Host, type OtherSourceSession } from '../host/host';
import { createSyncStatusStore, type SyncStatus, type SyncStatusStore } from '../sync/sync-status';
import type { HostServices } from './serve-host';
import { openWorkspace, type DataSide, type Workspace } from './workspace';

/**
 * (The page thread; it reads the other sources' data workers through their workspaces.) The FHIR sources other than the primary HIE, during one unlocked session (issue 15, point 1).
 * Each has its own sign-in (host.otherSource: a window of its own in the web host), its own
 * replica under the same vault keys (the vault entry's `sources`), its own data worker and sync,
 * read only: nothing is edited, recorded or sent there. A source's wipe order or sign-out touches
 * its replica and entry only. A source signed in to before opens at unlock, offline too (its
 * records stay readable; its sync asks for a sign-in when the session is gone).
 */
export type OtherSourceView = Readonly<{
  id: string;
  label: string;
  /** signed-out: never signed in on this device (or its replica was erased); open: its replica is open (its sync says the rest). */
  state: 'signed-out' | 'signing-in' | 'opening' | 'open' | 'stopped';
  /** A sentence key when the last sign-in or opening failed. */
  errorKey: string | null;
  /** The source's own sync status (null until its replica is open). */
  status: SyncStatus | null;
  /** Moves when its replica's content may have changed (its workspace's revision): charts re-read it. */
  revision: number;
}>;

export type OtherSources = Readonly<{
  views: StoreApi<Readonly<{ sources: readonly OtherSourceView[] }>>;
  /** The open workspaces of the other sources (read-only), by source id. */
  workspaces(): ReadonlyMap<string, Workspace>;
  signIn(id: string): Promise<void>;
  /**
   * At lock: every other source's replica closes. Each that closed cleanly hands over what its
   * sync while locked needs (its inbox's public key and checkpoints, as the primary's), with the
   * way to its own platform port and services: the session controller starts it.
   */
  close(): Promise<readonly ClosedSource[]>;
}>;

/** Another source as it closed at lock: what its sync while locked runs with (session-controller.ts). */
export type ClosedSource = Readonly<{
  id: string;
  label: string;
  handover: LockedHandover;
  replicaName: string;
  owner: SourceReplica['owner'];
  /** That source's port to the platform (Electron: main's port for that source), for the locked sync worker. */
  platformPort: () => Promise<MessagePort | null>;
  /** That source's services when the page serves the worker: its transport, its anchor, a wipe order that signs out of it only. */
  services: HostServices;
}>;

export type OtherSourcesDeps = Readonly<{
  host: Host;
  vaults: VaultStore;
  vault: UnlockedVault;
  window: Window;
  /** A data side whose port to the platform is this source's (`OtherSourceSession.dataPort`). */
  startDataSide(platformPort: () => Promise<MessagePort | null>): Promise<DataSide>;
  pollMs?: number;
}>;

const signInErrorKey = (error: unknown): string =>
  error instanceof HostError
    ? error.code === 'SIGN_IN_CANCELLED'
      ? 'signIn.error.cancelled'
      : error.code === 'SIGN_IN_BLOCKED'
        ? 'sources.error.blocked'
        : error.code === 'HIE_UNREACHABLE'
          ? 'signIn.error.unreachable'
          : 'signIn.error.failed'
    : 'signIn.error.failed';

export function openOtherSources(deps: OtherSourcesDeps): OtherSources {
  const views = createStore<Readonly<{ sources: readonly OtherSourceView[] }>>()(() => ({ sources: [] }));
  // The host names the sources (Electron: main, from the policy); a host that cannot say lists none.
  const listed = deps.host
    .otherSources()
    .catch(() => [])
    .then((sources) => views.setState({ sources: sources.map((source) => ({ id: source.id, label: source.label, state: 'signed-out', errorKey: null, status: null, revision: 0 })) }));
  const workspaces = new Map<string, Workspace>();
  // What each open workspace was opened with: its vault entry and its session.
  const opened = new Map<string, Readonly<{ entry: SourceReplica; session: OtherSourceSession }>>();
  const stops = new Map<string, () => void>();
  const statuses = new Map<string, SyncStatusStore>();
  let closed = false;
  const setView = (id: string, patch: Partial<OtherSourceView>): void =>
    views.setState((state) => ({ sources: state.sources.map((view) => (view.id === id ? { ...view, ...patch } : view)) }));

  const servicesOf = (id: string, session: OtherSourceSession): HostServices => ({
    fhirTransport: () => session.fhirTransport(),
    auditAnchor: () => session.auditAnchor(),
    // A wipe order from this source: its session ends; the device secret and the other replicas stay.
    eraseDeviceSecrets: () => session.signOut(),
    eraseLocalData: async () => undefined,
  });

  async function open(entry: SourceReplica, session: OtherSourceSession): Promise<void> {
    if (closed || workspaces.has(entry.id)) return;
    setView(entry.id, { state: 'opening', errorKey: null });
    // Past this source's offline lease (and no refresh renews it), its records stay closed until the clinician signs in to it again.
    if (!(await session.leaseHolds().catch(() => false))) {
      setView(entry.id, { state: 'signed-out', errorKey: 'sources.error.leaseExpired' });
      return;
    }
    const status = createSyncStatusStore();
    status.setState({ lastSuccessAt: entry.lastSyncAt });
    const stopStatus = status.subscribe((state) => setView(entry.id, { status: state }));
    try {
      const workspace = await openWorkspace({
        dataSide: await deps.startDataSide(() => session.dataPort()),
        host: servicesOf(entry.id, session),
        vault: deps.vault,
        entry,
        readOnly: true,
        status,
        window: deps.window,
        onWiped: () => {
          // This source's replica was erased at its order: its entry goes; the primary and the others stay.
          void deps.vaults.updateSource(entry.id, null).catch(() => undefined);
          (stops.get(entry.id) ?? stopStatus)();
          stops.delete(entry.id);
          workspaces.delete(entry.id);
          setView(entry.id, { state: 'signed-out', status: null, errorKey: 'sources.error.wiped' });
        },
        onInitialSyncDone: () => void deps.vaults.updateSource(entry.id, (known) => ({ ...known, initialSyncDone: true })).catch(() => undefined),
        onStopped: () => {
          (stops.get(entry.id) ?? stopStatus)();
          stops.delete(entry.id);
          workspaces.delete(entry.id);
          setView(entry.id, { state: 'stopped', errorKey: 'sources.error.stopped' });
        },
        ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}),
      });
      if (closed) {
        stopStatus();
        await workspace.close().catch(() => null);
        return;
      }
      workspaces.set(entry.id, workspace);
      opened.set(entry.id, { entry, session });
      const stopRevision = workspace.revision.subscribe((state) => setView(entry.id, { revision: state.revision }));
      stops.set(entry.id, () => {
        stopStatus();
        stopRevision();
      });
      statuses.set(entry.id, status);
      setView(entry.id, { state: 'open', status: status.getState() });
    } catch {
      stopStatus();
      setView(entry.id, { state: 'stopped', errorKey: 'sources.error.stopped' });
    }
  }

  // Sources signed in to before open now (offline too, within their lease).
  const opening = listed
    .then(() => deps.vaults.read())
    .then(async (entry) => {
      for (const known of entry?.sources ?? []) {
        const session = deps.host.otherSource(known.id);
        if (session !== null) await open(known, session);
      }
    })
    .catch(() => undefined);

  return {
    views,
    workspaces: () => workspaces,
    async signIn(id) {
      const session = deps.host.otherSource(id);
      if (session === null || closed) return;
      await opening;
      setView(id, { state: 'signing-in', errorKey: null });
      let who;
      try {
        who = await session.signIn();
      } catch (error: unknown) {
        setView(id, { state: workspaces.has(id) ? 'open' : 'signed-out', errorKey: signInErrorKey(error) });
        return;
      }
      const entry = await deps.vaults.read();
      if (entry === null || closed) return;
      const known = entry.sources?.find((s) => s.id === id);
      if (known !== undefined && known.owner.practitioner !== who.practitioner) {
        // Another clinician's sign-in at this source: this replica is not theirs.
        await session.signOut().catch(() => undefined);
        setView(id, { state: workspaces.has(id) ? 'open' : 'signed-out', errorKey: 'signIn.error.otherClinician' });
        return;
      }
      const running = workspaces.get(id);
      if (running !== undefined) {
        setView(id, { state: 'open' });
        running.runner.resume();
        return;
      }
      const replica: SourceReplica = known ?? { id, owner: { practitioner: who.practitioner, fhirBase: who.fhirBase }, replicaName: newReplicaName(deps.window.crypto), lastSyncAt: null, initialSyncDone: false };
      if (known === undefined) await deps.vaults.updateSource(id, replica);
      await open(replica, session);
    },
    async close() {
      closed = true;
      await opening;
      const open = [...workspaces.entries()];
      workspaces.clear();
      const handed = await Promise.all(
        open.map(async ([id, workspace]): Promise<ClosedSource | null> => {
          stops.get(id)?.();
          const lastSyncAt = statuses.get(id)?.getState().lastSuccessAt ?? null;
          const handover = await workspace.close().catch(() => null);
          if (lastSyncAt !== null) await deps.vaults.updateSource(id, (known) => ({ ...known, lastSyncAt })).catch(() => undefined);
          const was = opened.get(id);
          if (handover === null || was === undefined) return null;
          const label = views.getState().sources.find((view) => view.id === id)?.label ?? id;
          return { id, label, handover, replicaName: was.entry.replicaName, owner: was.entry.owner, platformPort: () => was.session.dataPort(), services: servicesOf(id, was.session) };
        }),
      );
      return handed.filter((source): source is ClosedSource => source !== null);
    },
  };
}
