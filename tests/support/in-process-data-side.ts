import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import type { PortLike } from '../../shared/ipc/port-rpc';
import type { DataSide } from '../../renderer/app/workspace';
import { serveDataSide } from '../../renderer/data/serve-data-side';

/** Node's MessagePort as the web's: message events carry `data`. */
export function webPort(port: MessagePort): PortLike {
  const map = new Map<(event: { data: unknown }) => void, (data: unknown) => void>();
  return {
    postMessage: (message) => port.postMessage(message),
    addEventListener: (_type, listener) => {
      const fn = (data: unknown): void => listener({ data });
      map.set(listener, fn);
      port.on('message', fn);
    },
    removeEventListener: (_type, listener) => {
      const fn = map.get(listener);
      if (fn !== undefined) port.off('message', fn);
      map.delete(listener);
    },
  };
}

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
