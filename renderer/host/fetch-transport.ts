import { TransportError, type FhirTransport, type TransportRequest } from '../../shared/sync/ports';

/**
 * FhirTransport over fetch, for the web host (dev and tests) — in Electron the page reaches the HIE
 * only through main's transport. Requests go only to the FHIR base's exact origin (a `next` link
 * pointing elsewhere is refused), carry the bearer token, and give up after `timeoutMs`.
 */
export type FetchTransportOptions = Readonly<{
  fhirBase: string;
  accessToken: () => string | null;
  timeoutMs?: number;
  fetch?: typeof fetch;
}>;

export function createFetchTransport(options: FetchTransportOptions): FhirTransport {
  const base = new URL(options.fhirBase.endsWith('/') ? options.fhirBase : `${options.fhirBase}/`);
  const doFetch = options.fetch ?? fetch;
  return {
    async send(request: TransportRequest) {
      const url = new URL(request.target, base);
      if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) throw new TransportError('refused');
      const headers: Record<string, string> = { accept: 'application/fhir+json', ...request.headers };
      const token = options.accessToken();
      if (token !== null) headers['authorization'] = `Bearer ${token}`;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 30_000);
      let response: Response;
      try {
        response = await doFetch(url, {
          method: request.method,
          headers,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: controller.signal,
          credentials: 'omit',
          redirect: 'error',
        });
      } catch {
        throw new TransportError(controller.signal.aborted ? 'timeout' : 'offline');
      } finally {
        clearTimeout(timer);
      }
      let text: string;
      try {
        text = await response.text();
      } catch {
        throw new TransportError('offline'); // the connection dropped mid-body
      }
      let body: unknown = null;
      try {
        body = text === '' ? null : (JSON.parse(text) as unknown);
      } catch {
        body = null; // not JSON: the engine's schemas reject it as malformed
      }
      const out: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        out[key.toLowerCase()] = value;
      });
      return { status: response.status, headers: out, body };
    },
  };
}
