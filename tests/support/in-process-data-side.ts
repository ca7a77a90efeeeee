import { MessageChannel } from 'node:worker_threads';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import type { DataSide } from '../../renderer/app/workspace';
import { serveDataSide } from '../../renderer/data/serve-data-side';
import { webPort } from './web-port';

/**
 * The data side as the page meets it, in this thread: the real serveDataSide and the real
 * client, over two real MessageChannels (structured clone, CryptoKeys included), without a
 * worker thread. Node has no Web Worker; the browser tests run the same code in a real one.
 */
export function inProcessDataSide(crypto: WebCrypto): DataSide & Readonly<{ ended(): boolean }> {
  const calls = new MessageChannel();
  const host = new MessageChannel();
  serveDataSide({ port: webPort(calls.port1), host: webPort(host.port2), crypto, newId: () => globalThis.crypto.randomUUID() });
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
