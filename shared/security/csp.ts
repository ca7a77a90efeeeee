/**
 * The renderer's Content-Security-Policy, one source for both places that deliver it: the header of
 * the app:// protocol handler (Electron) and the <meta> tag Vite writes into index.html (web host).
 * No inline script, no eval, no plugin, no network but the origins named in `connectSrc`.
 */
export type CspOptions = Readonly<{
  /** Extra origins the page may fetch from (web host only: the sandbox HIE); Electron adds none. */
  connectSrc?: readonly string[];
  /** Delivered as an HTTP header (not a <meta>): adds `frame-ancestors 'none'`, which a meta tag cannot carry. */
  header?: boolean;
}>;

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const connect = ["'self'", ...(options.connectSrc ?? [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    ...(options.header === true ? ["frame-ancestors 'none'"] : []),
  ].join('; ');
}
