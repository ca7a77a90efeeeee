import { serveDataSide } from './serve-data-side';
import { serveOnceHostPortArrives } from './worker-entry';

/**
 * The data worker's entry (a module Web Worker, started by app/data-worker-launch.ts): IndexedDB,
 * WebCrypto and RxDB all run here, off the page's thread. Its first message hands over the port
 * to the platform's services; from then on it serves the data contract on its own scope.
 */
serveOnceHostPortArrives(({ port, host, crypto, randomUUID }) => serveDataSide({ port, host, crypto, newId: randomUUID }));
