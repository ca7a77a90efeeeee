import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { contentSecurityPolicy } from '../../shared/security/csp';
import { appHost, appScheme } from './app-origin';

/**
 * Privileges for the renderer's scheme, registered before the app is ready: `standard` gives it
 * real origins and relative URLs, `secure` makes it a secure context (WebCrypto, IndexedDB).
 * No `bypassCSP`, no `corsEnabled`: the page stays under its own CSP.
 */
export const appSchemePrivileges = {
  scheme: appScheme,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: false },
} as const;

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export const securityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': contentSecurityPolicy({ header: true }),
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

/**
 * Serves the built renderer from `rootDir` for `relais://app/...` requests. Only GET, only our host,
 * only files inside `rootDir` (a `..` or encoded separator never escapes it), only known file types.
 */
export function createAppProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  const root = resolve(rootDir);
  return async (request) => {
    const refuse = (status: number): Response => new Response(null, { status, headers: securityHeaders });
    if (request.method !== 'GET') return refuse(405);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(400);
    }
    if (url.protocol !== `${appScheme}:` || url.host !== appHost) return refuse(404);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return refuse(400);
    }
    if (path.includes('\0') || path.includes('\\')) return refuse(400);
    const relative = path === '/' ? 'index.html' : path.replace(/^\/+/, '');
    const file = resolve(root, relative);
    if (!file.startsWith(root + sep)) return refuse(404);
    const type = contentTypes[extname(file).toLowerCase()];
    if (type === undefined) return refuse(404);
    try {
      const body = await readFile(file);
      return new Response(new Uint8Array(body), {
        status: 200,
        headers: { ...securityHeaders, 'Content-Type': type },
      });
    } catch {
      return refuse(404);
    }
  };
}
