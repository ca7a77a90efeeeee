import { createPortClient, PortError, type PortClient, type PortLike } from '../../../shared/ipc/port-rpc';
import { expose } from '../../browser/expose';
import { replicaWorkerContract } from './contract';

/**
 * Page side of replica-worker.test.ts: starts the module worker (same origin, as the CSP's
 * `worker-src 'self'` requires), calls it through the port protocol, and can kill it.
 */
type Contract = typeof replicaWorkerContract;
let worker: Worker | null = null;
let client: PortClient<Contract> | null = null;
let pagesStored = 0;
/** Told of every page the worker reports stored. */
const onStored = new Set<() => void>();

const api = {
  start(): void {
    worker = new Worker('/__relais_worker.js', { type: 'module' });
    client = createPortClient(replicaWorkerContract, worker as unknown as PortLike);
    worker.addEventListener('error', () => client?.fail('PORT_CLOSED'));
    pagesStored = 0;
    client.on('pageStored', ({ page }) => {
      pagesStored = page;
      for (const each of onStored) each();
    });
  },
  async call(method: keyof Contract['methods'], request: unknown): Promise<unknown> {
    if (client === null) throw new Error('not started');
    try {
      return await client.call(method, request as never);
    } catch (error: unknown) {
      return { failed: error instanceof PortError ? error.code : String(error) };
    }
  },
  /** Starts a write of `pages` and kills the worker as soon as `after` of them are stored. */
  async killDuringPut(pages: unknown[], after: number): Promise<{ storedWhenKilled: number; answer: unknown }> {
    if (client === null || worker === null) throw new Error('not started');
    const w = worker;
    const c = client;
    const put = c.call('put', { pages } as never).then(
      (value) => value as unknown,
      (error: unknown) => ({ failed: error instanceof PortError ? error.code : String(error) }),
    );
    // Killed right after the event that reaches `after` (a microtask later): the worker is mid-write.
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (pagesStored < after) return;
        onStored.delete(check);
        resolve();
      };
      onStored.add(check);
      check();
    });
    const storedWhenKilled = pagesStored;
    w.terminate();
    c.fail('PORT_CLOSED'); // terminate() fires no event: the UI's supervisor says the worker is gone
    return { storedWhenKilled, answer: await put };
  },
  hasDocument: (): boolean => typeof document !== 'undefined',
};

export type ReplicaWorkerPageApi = typeof api;
expose(api);
