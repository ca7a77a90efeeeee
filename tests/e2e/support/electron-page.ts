import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { channelNames } from '../../../shared/ipc/contract';
import { wireChannel } from '../../../shared/ipc/wire';
import { createAppProtocolHandler } from '../../../electron/security/app-protocol';
import { registerIpcHandlers, type IpcHandlers, type IpcMainLike, type InvokeEventLike } from '../../../electron/ipc/register';
import { createLogger } from '../../../electron/log/logger';
import { appEntryUrl } from '../../../electron/security/app-origin';

/**
 * The Electron build of the page (dist/renderer, `vite build --mode electron`, with the Electron
 * host) in Chromium, talking to main's own IPC handlers in this process. The Electron runtime
 * cannot run here, so two of its parts are replaced: the relais:// protocol by an HTTP server that
 * answers with main's own protocol handler (the same files and security headers), and the preload's
 * ipcRenderer.invoke by a Playwright binding into main's registered handlers (the same guard,
 * schemas and envelopes), called only from the page's main frame.
 */
export async function serveElectronPage(): Promise<Readonly<{ origin: string; close(): Promise<void> }>> {
  const handler = createAppProtocolHandler(join(process.cwd(), 'dist', 'renderer'));
  const server: Server = createServer((request, response) => {
    void (async () => {
      const answer = await handler(new Request(new URL(request.url ?? '/', 'relais://app').href, { method: request.method ?? 'GET' }));
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      response.end(Buffer.from(await answer.arrayBuffer()));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Main's handlers behind the page's `window.relais`; `current()` is asked at each call, so a test can "restart" main. */
export async function bridgeToMain(page: Page, current: () => IpcHandlers): Promise<void> {
  const listeners = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = { handle: (channel, listener) => void listeners.set(channel, listener) };
  // Registered once, forwarding to whichever handlers are current.
  const forwarding = Object.fromEntries(channelNames.map((name) => [name, (request: unknown) => (current()[name] as (r: unknown) => Promise<unknown>)(request)])) as IpcHandlers;
  registerIpcHandlers(ipcMain, forwarding, createLogger('ipc', () => undefined));
  await page.exposeBinding('__relaisInvoke', async (source, channel: string, request: unknown) => {
    const listener = listeners.get(channel);
    if (listener === undefined) return { ok: false, code: 'BAD_REQUEST' };
    // The page's main frame stands for relais://app's: any other frame is refused by main's own guard.
    const frame = source.frame === page.mainFrame() ? { url: appEntryUrl, parent: null } : { url: source.frame.url(), parent: {} };
    return listener({ senderFrame: frame, sender: { mainFrame: frame } }, ...(request === undefined ? [] : [request]));
  });
  await page.addInitScript(
    ({ names }) => {
      const invoke = (window as unknown as { __relaisInvoke: (channel: string, request?: unknown) => Promise<unknown> }).__relaisInvoke;
      const bridge: Record<string, (request?: unknown) => Promise<unknown>> = {};
      for (const [name, channel] of names) bridge[name] = (request?: unknown) => invoke(channel, request);
      Object.defineProperty(window, 'relais', { value: Object.freeze(bridge) });
    },
    { names: channelNames.map((name) => [name, wireChannel(name)] as const) },
  );
}
