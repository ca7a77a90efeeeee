import { MessageChannel } from 'node:worker_threads';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import type { DataSide } from '../../renderer/app/workspace';
import { serveLockedSync } from '../../renderer/data/locked-sync';
import { webPort } from './web-port';

/**
 * The locked sync worker as the page meets it, in this thread: the real serveLockedSync over two
 * real MessageChannels, without a worker thread (Node has no Web Worker; the browser walk runs
 * it in a real one). `end()` closes its ports: what it was doing gets no more answers.
 */
export function inProcessLockedSide(crypto: WebCrypto): DataSide & Readonly<{ ended(): boolean }> {
  const calls = new MessageChannel();
  const host = new MessageChannel();
  serveLockedSync({ port: webPort(calls.port1), host: webPort(host.port2), crypto });
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
