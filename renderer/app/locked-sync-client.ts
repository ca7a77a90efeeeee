import { createPortClient } from '../../shared/ipc/port-rpc';
import type { LockedHandover } from '../../shared/sync/locked-pull';
import { lockedContract, type LockedState } from '../data/locked-contract';
import type { WipeResult } from '../data/wipe';
import { browserNetwork } from '../features/sync-status/network-source';
import type { VaultEntry } from '../features/unlock/vault-store';
import { serveHost, type HostServices } from './serve-host';
import type { DataSide } from './workspace';

/**
 * The page's side of the sync while locked: it starts the locked sync worker with the closing
 * session's handover, tells it the network state and hears how far it got. It holds nothing the
 * locked screen could not show: a count and a state.
 */
export type LockedProgress = Readonly<{ received: number; state: LockedState | 'stopped' }>;

export type LockedSync = Readonly<{ end(): void }>;

export type LockedSyncRequest = Readonly<{ handover: LockedHandover; replicaName: string; owner: VaultEntry['owner']; pollMs?: number }>;

export type LockedSyncEvents = Readonly<{ progress(progress: LockedProgress): void; wiped(result: WipeResult): void }>;

export async function startLockedSync(
  side: DataSide,
  host: HostServices,
  window: Window,
  request: LockedSyncRequest,
  events: LockedSyncEvents,
): Promise<LockedSync> {
  const stopHost = side.host === null ? () => undefined : serveHost(host, side.host);
  const client = createPortClient(lockedContract, side.port);
  let received = 0;
  let ended = false;
  client.on('progress', (progress) => {
    received = progress.received;
    events.progress(progress);
  });
  client.on('wiped', (result) => events.wiped(result));
  const network = browserNetwork(window);
  const stopNetwork = network.subscribe((online) => void client.call('network', { online }).catch(() => undefined));
  const end = (): void => {
    if (ended) return;
    ended = true;
    stopNetwork();
    client.close();
    stopHost();
    side.end();
  };
  side.onDied(() => {
    if (ended) return;
    end();
    // What it sealed is kept; the sync goes on at unlock.
    events.progress({ received, state: 'stopped' });
  });
  try {
    await client.call('start', { ...request, online: network.online() });
  } catch (error: unknown) {
    end();
    throw error;
  }
  return { end };
}
