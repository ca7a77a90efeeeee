import type { WebCrypto } from '../../shared/crypto/webcrypto';
import type { PortLike } from '../../shared/ipc/port-rpc';
import { hostPortMessage } from './contract';
import { serveDataSide } from './serve-data-side';

/**
 * The data worker's entry (a module Web Worker, started by app/data-worker-launch.ts): IndexedDB,
 * WebCrypto and RxDB all run here, off the page's thread. Its first message hands over the port
 * to the page's host services; from then on it serves the data contract on its own scope.
 */
type WorkerScope = PortLike & Readonly<{ crypto: Crypto }>;
const scope = globalThis as unknown as WorkerScope;

const handOver = (event: { data: unknown; ports?: readonly MessagePort[] }): void => {
  const host = event.ports?.[0];
  if (event.data !== hostPortMessage || host === undefined) return;
  scope.removeEventListener('message', handOver);
  serveDataSide({
    port: scope,
    host: host as unknown as PortLike,
    crypto: scope.crypto as unknown as WebCrypto,
    newId: () => scope.crypto.randomUUID(),
  });
  host.start();
};
scope.addEventListener('message', handOver);
