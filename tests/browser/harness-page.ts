import { type BrowserContext, chromium, type Page, type Route } from 'playwright-core';
import { contentSecurityPolicy } from '../../shared/security/csp.ts';
import { chromiumExecutable, harnessChromiumArgs } from './chromium.ts';

/**
 * A real Chromium page running a bundled script (bundle.ts) at `${origin}/__relais_harness.html`.
 * The page and its script are served by Playwright's request routing, so the page is same-origin
 * with whatever server lives at `origin` (the HIE sandbox: no CORS) — and every other request
 * goes to the real network untouched. With `userDataDir` the context is persistent: IndexedDB
 * survives `close()` and a later open on the same directory and origin.
 *
 * The page runs under the app's own CSP (shared/security/csp.ts: no 'unsafe-eval', no inline
 * script), so what works here does not depend on a looser policy than the app ships with.
 */
export type HarnessPageOptions = Readonly<{
  /** Scheme, host and port only, e.g. http://127.0.0.1:8080 (WebCrypto needs a secure context: https, localhost or 127.0.0.1). */
  origin: string;
  /** The bundled script (bundleForBrowser), loaded as a module. */
  script: string;
  /** A persistent profile: IndexedDB survives a browser restart on the same directory. */
  userDataDir?: string;
  headless?: boolean;
  /** Extra Chromium flags, after the project's (chromium.ts). */
  args?: readonly string[];
  /** The Content-Security-Policy of the harness page; null for none. Default: the app's. */
  csp?: string | null;
  /** Each console message of the page (by default they are dropped). */
  onConsole?: (type: string, text: string) => void;
  /** How long the script may take to expose its functions. */
  readyTimeoutMs?: number;
  /** More same-origin scripts, by path (e.g. a module worker's, which the CSP's `worker-src 'self'` requires), served under the same CSP. */
  files?: Readonly<Record<string, string>>;
}>;

export type HarnessPage = Readonly<{
  page: Page;
  context: BrowserContext;
  /** Closes the context (and the browser it launched); a persistent profile is flushed and kept. */
  close(): Promise<void>;
}>;

export const harnessPath = '/__relais_harness.html';
const scriptPath = '/__relais_harness.js';

export class HarnessOriginError extends Error {
  override name = 'HarnessOriginError';
}

export class HarnessLoadError extends Error {
  override name = 'HarnessLoadError';
}

/** The exact origin, or a HarnessOriginError: a path, query or credentials would route the wrong URLs. */
export function parseOrigin(origin: string): string {
  const url = new URL(origin);
  if (url.origin !== origin || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new HarnessOriginError(`the harness origin must be scheme://host[:port] exactly, not ${origin}`);
  }
  return url.origin;
}

function harnessHtml(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Relais harness</title>` +
    `<script type="module" src="${scriptPath}"></script></head><body></body></html>`;
}

async function launch(options: HarnessPageOptions): Promise<{ context: BrowserContext; closeBrowser: () => Promise<void> }> {
  const launchOptions = {
    executablePath: chromiumExecutable(),
    args: [...harnessChromiumArgs, ...(options.args ?? [])],
    headless: options.headless ?? true,
  };
  if (options.userDataDir !== undefined) {
    const context = await chromium.launchPersistentContext(options.userDataDir, launchOptions);
    return { context, closeBrowser: () => Promise.resolve() };
  }
  const browser = await chromium.launch(launchOptions);
  const context = await browser.newContext();
  return { context, closeBrowser: () => browser.close() };
}

export async function openHarnessPage(options: HarnessPageOptions): Promise<HarnessPage> {
  const origin = parseOrigin(options.origin);
  const { context, closeBrowser } = await launch(options);
  const close = async (): Promise<void> => {
    await context.close();
    await closeBrowser();
  };
  try {
    const csp = options.csp === undefined ? contentSecurityPolicy() : options.csp;
    const noStore = { 'cache-control': 'no-store' };
    // Only these URLs are answered here; every other request never meets this handler.
    const files = options.files ?? {};
    const ours = (url: URL): boolean => url.origin === origin && (url.pathname === harnessPath || url.pathname === scriptPath || Object.hasOwn(files, url.pathname));
    await context.route(ours, async (route: Route) => {
      const { pathname } = new URL(route.request().url());
      const headers: Record<string, string> = csp === null ? noStore : { ...noStore, 'content-security-policy': csp };
      if (pathname === scriptPath) {
        await route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', headers: noStore, body: options.script });
        return;
      }
      if (Object.hasOwn(files, pathname)) {
        // A worker's policy is the one delivered with its script.
        await route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', headers, body: files[pathname] as string });
        return;
      }
      await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', headers, body: harnessHtml() });
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    // An error while loading fails the open at once, rather than at the ready timeout.
    let failLoad: (error: Error) => void = () => undefined;
    const loadFailed = new Promise<never>((_, reject) => {
      failLoad = reject;
    });
    loadFailed.catch(() => undefined);
    page.on('pageerror', (error) => {
      problems.push(error.message);
      failLoad(new HarnessLoadError(`the harness script failed: ${error.message}`));
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
      options.onConsole?.(message.type(), message.text());
    });
    await page.goto(`${origin}${harnessPath}`);
    try {
      const ready = page.waitForFunction(() => Reflect.get(globalThis, '__relais') !== undefined, undefined, {
        timeout: options.readyTimeoutMs ?? 30_000,
      });
      await Promise.race([ready, loadFailed]);
    } catch (error: unknown) {
      if (error instanceof HarnessLoadError) throw error;
      throw new HarnessLoadError(`the harness script exposed nothing (${problems.join(' | ') || String(error)})`);
    }
    return { page, context, close };
  } catch (error: unknown) {
    await close();
    throw error;
  }
}
