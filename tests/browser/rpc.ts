import type { Page } from 'playwright-core';

/**
 * A tiny typed RPC into the harness page: the bundled entry exposes an object of functions as
 * `window.__relais` (expose.ts), and the test calls them by name. Arguments and results cross
 * by structured clone (page.evaluate), so they are plain data: no class instances, no functions.
 */
export type HarnessApi = Readonly<Record<string, (...args: never[]) => unknown>>;

/** Calls `window.__relais[name](...args)` in the page and resolves with what it returns (awaited). */
export async function call<T>(page: Page, name: string, ...args: readonly unknown[]): Promise<T> {
  const result: unknown = await page.evaluate(
    async ([fnName, fnArgs]) => {
      const api: unknown = Reflect.get(globalThis, '__relais');
      const fn: unknown = typeof api === 'object' && api !== null ? Reflect.get(api, fnName) : undefined;
      if (typeof fn !== 'function') throw new Error(`the harness page exposes no function ${fnName}`);
      const value: unknown = await Reflect.apply(fn, api, fnArgs);
      return value;
    },
    [name, args] as const,
  );
  return result as T;
}

export type Remote<Api extends HarnessApi> = Readonly<{
  call<K extends keyof Api & string>(name: K, ...args: Parameters<Api[K]>): Promise<Awaited<ReturnType<Api[K]>>>;
}>;

/** `call` typed by the entry's own API type (`export type SmokeApi = typeof api` in the entry). */
export function remote<Api extends HarnessApi>(page: Page): Remote<Api> {
  return {
    call: (name, ...args) => call(page, name, ...args),
  };
}
