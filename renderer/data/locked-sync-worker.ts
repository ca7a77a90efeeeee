import type { WebCrypto } from '../../shared/crypto/webcrypto';
import type { PortLike } from '../../shared/ipc/port-rpc';
import { hostPortMessage } from './contract';
import { serveLockedSync } from './locked-sync';

/**
 * The locked sync worker's entry (app/locked-sync-launch.ts starts it at lock): a module Web
 * Worker that never receives a vault key. Its first message hands over the port to the platform's
 * services; then it serves the locked contract on its own scope.
 */
type WorkerScope = PortLike & Readonly<{ crypto: Crypto }>;
const scope = globalThis as unknown as WorkerScope;

const handOver = (event: { data: unknown; ports?: readonly MessagePort[] }): void => {
  const host = event.ports?.[0];
  if (event.data !== hostPortMessage || host === undefined) return;
  scope.removeEventListener('message', handOver);
  serveLockedSync({ port: scope, host: host as unknown as PortLike, crypto: scope.crypto as unknown as WebCrypto });
  host.start();
};
scope.addEventListener('message', handOver);
