import type { WebCrypto } from '../../shared/crypto/webcrypto';
import type { PortLike } from '../../shared/ipc/port-rpc';
import { hostPortMessage } from './contract';

/**
 * What both worker entries (data-worker.ts, locked-sync-worker.ts) do first: wait for the page's
 * first message, which hands over the port to the platform's services (hostContract), then serve
 * their own contract on the worker's scope. Runs inside a module Web Worker only.
 */
type WorkerScope = PortLike & Readonly<{ crypto: Crypto }>;

export function serveOnceHostPortArrives(serve: (options: Readonly<{ port: PortLike; host: PortLike; crypto: WebCrypto; randomUUID(): string }>) => void): void {
  const scope = globalThis as unknown as WorkerScope;
  const handOver = (event: { data: unknown; ports?: readonly MessagePort[] }): void => {
    const host = event.ports?.[0];
    if (event.data !== hostPortMessage || host === undefined) return;
    scope.removeEventListener('message', handOver);
    serve({ port: scope, host: host as unknown as PortLike, crypto: scope.crypto as unknown as WebCrypto, randomUUID: () => scope.crypto.randomUUID() });
    host.start();
  };
  scope.addEventListener('message', handOver);
}
