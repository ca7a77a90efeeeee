/**
 * For the update tests (issue 16, point 1): a local update server in electron-builder's "generic"
 * layout, and electron-updater's real deb updater for an installed Relais, given an app adapter and
 * Node's HTTP instead of Electron's (the Electron runtime cannot run here).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureRequestOptions, configureRequestUrl, HttpExecutor, type DownloadOptions } from 'builder-util-runtime';
import { DebUpdater } from 'electron-updater';
import { electronUpdaterPort } from '../../electron/updates/electron-updater-port';
import { updatePolicySchema } from '../../electron/updates/update-policy';

export const installer = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));
const sha512 = createHash('sha512').update(installer).digest('base64');

/** A channel file announcing `version`, its installer `url` (a .deb beside the feed unless said). */
export const feedYaml = (version: string, extra = '', url = `Relais-${version}.deb`): string =>
  `version: ${version}\nfiles:\n  - url: ${url}\n    sha512: ${sha512}\n    size: ${installer.length}\npath: ${url}\nsha512: ${sha512}\nreleaseDate: '2026-12-05T08:00:00.000Z'\n${extra}`;

export type Route = { status?: number; body?: string | Buffer; cut?: boolean };

/** The server: answers `routes` by path (`cut` sends half the installer, then drops the connection); `asked` lists every path. */
export async function startUpdateServer(): Promise<Readonly<{ feedUrl: string; routes: Map<string, Route>; asked: string[]; close(): Promise<void> }>> {
  const routes = new Map<string, Route>();
  const asked: string[] = [];
  const server: Server = createServer((request, response) => {
    // electron-updater adds a random query to the feed's address, against caches: route by path.
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    asked.push(path);
    const route = routes.get(path);
    if (route === undefined) {
      response.writeHead(404).end();
      return;
    }
    if (route.cut === true) {
      response.writeHead(200, { 'content-length': String(installer.length) });
      response.write(installer.subarray(0, installer.length / 2), () => response.destroy());
      return;
    }
    response.writeHead(route.status ?? 200).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    feedUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/relais`,
    routes,
    asked,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** electron-updater's HTTP client on Node's http: its ElectronHttpExecutor's `download`, with Node's request instead of Electron's net. */
class NodeHttp extends HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    return httpRequest(options, callback);
  }
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(requestOptions, { destination, options, onCancel, callback: (error) => (error == null ? resolve(destination) : reject(error)), responseHandler: null }, 0);
    });
  }
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A deb updater for an installed Relais `version`, with its own user data and cache folders (as electron-builder configures it), behind Relais's port. */
export function debUpdaterFor(feedUrl: string, more: Record<string, unknown> = {}, version = '1.2.9') {
  const home = mkdtempSync(join(tmpdir(), 'relais-updater-'));
  const appUpdateConfigPath = join(home, 'app-update.yml');
  writeFileSync(appUpdateConfigPath, 'provider: generic\nurl: https://updates.invalid/relais\nupdaterCacheDirName: relais-updater\n');
  const updater = new DebUpdater(null, {
    version,
    name: 'Relais',
    isPackaged: true,
    appUpdateConfigPath,
    userDataPath: join(home, 'user-data'),
    baseCachePath: join(home, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  });
  (updater as unknown as { httpExecutor: HttpExecutor<ClientRequest> }).httpExecutor = new NodeHttp();
  const port = electronUpdaterPort(updater, updatePolicySchema.parse({ feedUrl, ...more }), silent);
  return { updater, port, pending: join(home, 'cache', 'relais-updater', 'pending') };
}
