import { MessageChannel } from 'node:worker_threads';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import type { PortLike } from '../../shared/ipc/port-rpc';
import type { DataSide } from '../../renderer/app/workspace';
import { serveDataSide } from '../../renderer/data/serve-data-side';
import { serveLockedSync } from '../../renderer/data/serve-locked-sync';
import { webPort } from './web-port';

/**
 * A worker's side as the page meets it, in this thread: the worker's real serve function and
 * the page's real client, over two real MessageChannels (structured clone, CryptoKeys included),
 * without a worker thread. Node has no Web Worker; the browser tests run the same code in real
 * ones. `end()` closes the ports: what the side was doing gets no more answers.
 */
type InProcessSide = DataSide & Readonly<{ ended(): boolean }>;

function inProcessSide(serve: (port: PortLike, host: PortLike) => void): InProcessSide {
  const calls = new MessageChannel();
  const host = new MessageChannel();
  serve(webPort(calls.port1), webPort(host.port2));
  let ended = false;
  return {
    port: webPort(calls.port2),
    host: webPort(host.port1),
    onDied: () => undefined,
    ended: () => ended,
    end() {
      ended = true;
      for (const port of [calls.port1, calls.port2, host.port1, host.port2]) port.close();
    },
  };
}

/** The data worker's side (data/serve-data-side.ts). */
export const inProcessDataSide = (crypto: WebCrypto): InProcessSide =>
  inProcessSide((port, host) => serveDataSide({ port, host, crypto, newId: () => globalThis.crypto.randomUUID() }));

/** The locked sync worker's side (data/serve-locked-sync.ts): it never receives a vault key. */
export const inProcessLockedSide = (crypto: WebCrypto): InProcessSide => inProcessSide((port, host) => serveLockedSync({ port, host, crypto }));
