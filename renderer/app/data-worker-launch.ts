import type { PortLike } from '../../shared/ipc/port-rpc';
import { hostPortMessage } from '../data/contract';
import type { DataSide } from './workspace';

/**
 * Starts data workers (data/data-worker.ts), one per session, and locked sync workers
 * (data/locked-sync-worker.ts), one per lock: a module Worker from the app's own
 * origin (CSP `worker-src 'self'`); its first message hands it the port to the platform's
 * services. `end()` terminates it: its memory, keys included, goes with it.
 *
 * One worker is always started ahead, so that its script is loaded before it is needed: the web
 * host may be offline by the time the clinician unlocks (Electron serves the app from disk).
 */
type Spawned = Readonly<{ worker: Worker; failed(): boolean; onFailure(listener: () => void): void }>;

function spawn(make: () => Worker): Spawned {
  const worker = make();
  let failed = false;
  const listeners = new Set<() => void>();
  const fail = (): void => {
    if (failed) return;
    failed = true;
    for (const listener of listeners) listener();
    listeners.clear();
  };
  // A script that did not load, an uncaught error, a message that cannot be read: the worker cannot be trusted to go on.
  worker.addEventListener('error', fail);
  worker.addEventListener('messageerror', fail);
  return {
    worker,
    failed: () => failed,
    onFailure(listener) {
      if (failed) listener();
      else listeners.add(listener);
    },
  };
}

/**
 * The worker's way to the platform: a port from main when the host has one (Electron: HIE answers
 * never cross the page), else a MessageChannel whose near end the page serves.
 */
function dataSideOf(spawned: Spawned, platform: MessagePort | null): DataSide {
  const { worker } = spawned;
  const channel = platform === null ? new MessageChannel() : null;
  worker.postMessage(hostPortMessage, [platform ?? (channel as MessageChannel).port2]);
  channel?.port1.start();
  let ended = false;
  return {
    port: worker as unknown as PortLike,
    host: channel === null ? null : (channel.port1 as unknown as PortLike),
    onDied: (listener) => spawned.onFailure(() => (ended ? undefined : listener())),
    end() {
      ended = true;
      worker.terminate();
      channel?.port1.close();
    },
  };
}

/** Where a data worker's port to the platform comes from (Host.dataPort, or another source's). */
export type PlatformPort = () => Promise<MessagePort | null>;

/**
 * Each call hands over the worker started ahead (and starts the next), with a port to the platform
 * from `platformPort`, or from the call's own (another FHIR source's data worker: that source's port).
 */
function workers(make: () => Worker, platformPort: PlatformPort): (port?: PlatformPort) => Promise<DataSide> {
  let ahead = spawn(make);
  return async (port) => {
    const taken = ahead.failed() ? spawn(make) : ahead;
    ahead = spawn(make);
    return dataSideOf(taken, await (port ?? platformPort)().catch(() => null));
  };
}

/** A source of data sides (data/data-worker.ts), with a port to the platform from the host's `dataPort`. */
export const dataWorkers = (platformPort: PlatformPort): ((port?: PlatformPort) => Promise<DataSide>) =>
  workers(() => new Worker(new URL('../data/data-worker.ts', import.meta.url), { type: 'module', name: 'relais-data' }), platformPort);

/** A source of locked sync workers (data/locked-sync-worker.ts): the same ports, a worker that never holds a vault key. */
export const lockedSyncWorkers = (platformPort: PlatformPort): ((port?: PlatformPort) => Promise<DataSide>) =>
  workers(() => new Worker(new URL('../data/locked-sync-worker.ts', import.meta.url), { type: 'module', name: 'relais-locked-sync' }), platformPort);
