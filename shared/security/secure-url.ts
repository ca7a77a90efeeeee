/**
 * Where a token, a code or a signing key may travel: https, or plain http on this computer only
 * (the sandbox), never with credentials in the URL. One rule for main's SMART discovery, the web
 * host's HIE address and its discovered endpoints.
 */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

export function isSecureOrLoopback(value: string | URL): boolean {
  let url: URL;
  try {
    url = typeof value === 'string' ? new URL(value) : value;
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || isLoopbackHttp(url)) && url.username === '' && url.password === '';
}
