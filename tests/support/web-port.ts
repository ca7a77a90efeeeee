import type { MessagePort } from 'node:worker_threads';
import type { PortLike } from '../../shared/ipc/port-rpc';

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
