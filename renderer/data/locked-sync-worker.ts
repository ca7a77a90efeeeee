import { serveLockedSync } from './serve-locked-sync';
import { serveOnceHostPortArrives } from './worker-entry';

/**
 * The locked sync worker's entry (app/data-worker-launch.ts starts it at lock): a module Web
 * Worker that never receives a vault key and loads no RxDB (tests/unit/renderer/data/worker-bundles.test.ts).
 * Its first message hands over the port to the platform's services; then it serves the locked
 * contract on its own scope.
 */
serveOnceHostPortArrives(({ port, host, crypto }) => serveLockedSync({ port, host, crypto }));
