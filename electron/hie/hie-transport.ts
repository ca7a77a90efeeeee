import { TransportError, type FhirTransport, type TransportRequest, type TransportResponse } from '../../shared/sync/ports';
import type { Logger } from '../log/logger';
import { checkedFhirBase } from './hie-origin';
import { hieOperationOf } from './hie-operations';

/**
 * The only way Relais talks to the HIE in Electron: main holds the token and attaches it; the page
 * asks through IPC and never sees it. Every request is pinned to the configured FHIR base (exact
 * origin, path under the base, no redirects), bounded in time and size. On a 401, one silent token
 * refresh and one retry; a second 401 goes back to the page, which asks the clinician to sign in.
 */
export type TokenSource = Readonly<{
  accessToken(): string | null;
  /** Refreshes with the refresh token from the keychain; false when that is not possible. */
  refresh(): Promise<boolean>;
}>;

export type HieTransportOptions = Readonly<{
  fhirBase: string;
  tokens: TokenSource;
  log: Logger;
  timeoutMs?: number;
  maxResponseBytes?: number;
  fetch?: typeof fetch;
}>;

/** Headers the page may set; everything else (Authorization above all) is main's to decide. */
const pageHeaders = new Set(['if-match', 'if-none-match', 'if-none-exist', 'content-type', 'prefer']);

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new TransportError('refused');
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new TransportError('refused');
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

export function createHieTransport(options: HieTransportOptions): FhirTransport {
  const base = checkedFhirBase(options.fhirBase);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxResponseBytes ?? 32 * 1024 * 1024;

  const target = (request: TransportRequest): URL => {
    let url: URL;
    try {
      url = new URL(request.target, base);
    } catch {
      throw new TransportError('refused');
    }
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname) || url.username !== '' || url.password !== '') {
      options.log.warn('hie request refused: outside the configured HIE');
      throw new TransportError('refused');
    }
    if (hieOperationOf(request, base) === null) {
      options.log.warn('hie request refused: not an operation the sync needs', { method: request.method });
      throw new TransportError('refused');
    }
    return url;
  };

  const once = async (url: URL, request: TransportRequest): Promise<TransportResponse> => {
    const headers: Record<string, string> = { accept: 'application/fhir+json' };
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (pageHeaders.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
    }
    const token = options.tokens.accessToken();
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: request.method,
          headers,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: controller.signal,
          redirect: 'manual',
        });
      } catch {
        throw new TransportError(controller.signal.aborted ? 'timeout' : 'offline');
      }
      if (response.status >= 300 && response.status < 400) {
        options.log.warn('hie redirect refused', { status: response.status });
        throw new TransportError('refused');
      }
      let text: string;
      try {
        text = await readCapped(response, maxBytes);
      } catch (error: unknown) {
        if (error instanceof TransportError) throw error;
        throw new TransportError(controller.signal.aborted ? 'timeout' : 'offline');
      }
      let body: unknown = null;
      try {
        body = text === '' ? null : (JSON.parse(text) as unknown);
      } catch {
        body = null;
      }
      const out: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        out[key.toLowerCase()] = value;
      });
      return { status: response.status, headers: out, body };
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    async send(request) {
      const url = target(request);
      const first = await once(url, request);
      if (first.status !== 401) return first;
      if (!(await options.tokens.refresh())) return first;
      return once(url, request);
    },
  };
}
