import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoginError } from './login-error';

/**
 * The redirect target for a native app (RFC 8252 §7.3): an HTTP listener on 127.0.0.1 on a port
 * the OS picks, for one answer only. The page it shows has no script and no external resource.
 */
export type LoopbackRedirect = Readonly<{
  redirectUri: string;
  /** The full callback URL the browser arrived with. */
  callback: Promise<URL>;
  close(): void;
}>;

const donePage = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Relais</title></head>
<body style="font-family:system-ui,sans-serif;margin:3rem"><h1>Relais</h1>
<p>Connexion terminée : vous pouvez fermer cette fenêtre et revenir à Relais.</p>
<p lang="en">Sign-in complete: you can close this window and return to Relais.</p></body></html>`;

export async function openLoopbackRedirect(timeoutMs: number): Promise<LoopbackRedirect> {
  let resolve: (url: URL) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const callback = new Promise<URL>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  callback.catch(() => {}); // observed by the caller; avoid an unhandled rejection if it never looks
  let server: Server | null = null;
  let answered = false;
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || url.pathname !== '/callback' || answered) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end();
      return;
    }
    answered = true;
    response
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      })
      .end(donePage);
    resolve(new URL(`http://127.0.0.1:${(server?.address() as AddressInfo).port}${request.url ?? '/'}`));
  });
  await new Promise<void>((res) => server?.listen(0, '127.0.0.1', res));
  const port = (server.address() as AddressInfo).port;
  const timer = setTimeout(() => reject(new LoginError('TIMEOUT')), timeoutMs);
  const close = (): void => {
    clearTimeout(timer);
    server?.close();
    server?.closeAllConnections();
  };
  return { redirectUri: `http://127.0.0.1:${port}/callback`, callback, close };
}
