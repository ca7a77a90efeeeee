import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { channelNames } from '../../../shared/ipc/contract';
import { dataPortMessage, wireChannel } from '../../../shared/ipc/wire';
import type { MessagePortMainLike } from '../../../electron/ipc/data-port';
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

type PortListener = (event: { data: unknown }) => void;

/**
 * main.ts's `postDataPort` for the bridged page: a data worker's port whose main end is served here
 * (`serve`, e.g. main's serveDataPort) and whose other end is posted to the window with the ticket,
 * as the preload forwards it. Messages cross between the two ends through Playwright (a binding one
 * way, an evaluation the other), in order.
 */
export async function dataPortRelay(page: Page): Promise<(ticket: string, serve: (port: MessagePortMainLike) => () => void) => Promise<void>> {
  const listeners = new Map<string, Set<PortListener>>();
  await page.exposeBinding('__relaisPortSend', (_source, id: string, data: unknown) => {
    for (const listener of listeners.get(id) ?? []) listener({ data });
  });
  return async (ticket, serve) => {
    const id = randomUUID();
    const own = new Set<PortListener>();
    listeners.set(id, own);
    const port: MessagePortMainLike = {
      on: (_event, listener) => own.add(listener),
      off: (_event, listener) => own.delete(listener),
      postMessage: (message) => {
        void page
          .evaluate(([to, data]) => (window as unknown as { __relaisPorts?: Map<string, MessagePort> }).__relaisPorts?.get(to)?.postMessage(data), [id, message] as const)
          .catch(() => undefined);
      },
      start: () => undefined,
    };
    serve(port);
    await page.evaluate(
      ({ to, ticket: asked, kind }) => {
        const scope = window as unknown as { __relaisPorts?: Map<string, MessagePort>; __relaisPortSend: (id: string, data: unknown) => Promise<void> };
        scope.__relaisPorts ??= new Map();
        const channel = new MessageChannel();
        scope.__relaisPorts.set(to, channel.port1);
        channel.port1.onmessage = (event) => void scope.__relaisPortSend(to, event.data);
        window.postMessage({ kind, ticket: asked }, '*', [channel.port2]);
      },
      { to: id, ticket, kind: dataPortMessage },
    );
  };
}
