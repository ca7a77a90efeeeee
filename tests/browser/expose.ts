import type { HarnessApi } from './rpc.ts';

/** Page side of rpc.ts: the bundled entry hands its functions to the test. Call once, at load. */
export function expose<Api extends HarnessApi>(api: Api): void {
  Reflect.set(globalThis, '__relais', api);
}
