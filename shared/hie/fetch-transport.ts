import { checkedFhirBase } from './fhir-base';
import { hieOperationOf } from './operations';
import { parsedAnswer, textOfBytes, TransportError, type BytesResponse, type TextTransport, type TokenSource, type TransportRequest } from './transport';

/**
 * The one HIE transport, over the platform's `fetch`: main uses it in Electron (with the token it
 * holds), the web host in the page (dev, demo, tests). Every request is pinned to the configured
 * FHIR base (exact origin, path under the base, no credentials in the URL, only the operations the
 * sync needs), never follows a redirect, is bounded in time (headers and body) and in size, and
 * carries only the headers a caller may set: the token is the transport's to attach. On a 401, one
 * token refresh and one retry; a second 401 goes back to the caller, which asks for a sign-in.
 */
export type FetchTransportOptions = Readonly<{
  fhirBase: string;
  tokens: TokenSource;
  fetch: typeof fetch;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Told why a request was refused before it left (for main's log); never told the URL. */
  onRefused?: (reason: RefusalReason) => void;
}>;

export type RefusalReason = 'outside-base' | 'not-an-operation' | 'redirect' | 'too-large';

/** Headers a caller may set; everything else (Authorization above all) is the transport's to decide. */
const callerHeaders = new Set(['if-match', 'if-none-match', 'if-none-exist', 'content-type', 'prefer']);

export const defaultTimeoutMs = 30_000;
export const defaultMaxResponseBytes = 32 * 1024 * 1024;

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

export function createFetchTransport(options: FetchTransportOptions): TextTransport {
  const base = checkedFhirBase(options.fhirBase);
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const maxBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  const refuse = (reason: RefusalReason): never => {
    options.onRefused?.(reason);
    throw new TransportError('refused');
  };

  const target = (request: TransportRequest): URL => {
    let url: URL;
    try {
      url = new URL(request.target, base);
    } catch {
      return refuse('outside-base');
    }
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname) || url.username !== '' || url.password !== '') return refuse('outside-base');
    if (hieOperationOf(request, base) === null) return refuse('not-an-operation');
    return url;
  };

  const readCapped = async (response: Response): Promise<Uint8Array> => {
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) return refuse('too-large');
    if (response.body === null) return new Uint8Array(0);
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return refuse('too-large');
      }
      chunks.push(value);
    }
    return chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : concat(chunks, total);
  };

  const once = async (url: URL, request: TransportRequest): Promise<BytesResponse> => {
    const headers: Record<string, string> = { accept: 'application/fhir+json' };
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (callerHeaders.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
    }
    const token = options.tokens.accessToken();
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const lost = (): TransportError => new TransportError(controller.signal.aborted ? 'timeout' : 'offline');
    try {
      let response: Response;
      try {
        response = await options.fetch(url, {
          method: request.method,
          headers,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: controller.signal,
          credentials: 'omit',
          // 'manual': Node returns the 3xx, a browser an opaque redirect; both are refused below.
          redirect: 'manual',
        });
      } catch {
        throw lost();
      }
      if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) return refuse('redirect');
      let bytes: Uint8Array;
      try {
        bytes = await readCapped(response);
      } catch (error: unknown) {
        if (error instanceof TransportError) throw error;
        throw lost(); // the connection dropped, or the time ran out, mid-body
      }
      const out: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        out[key.toLowerCase()] = value;
      });
      return { status: response.status, headers: out, bytes };
    } finally {
      clearTimeout(timer);
    }
  };

  const sendBytes = async (request: TransportRequest): Promise<BytesResponse> => {
    const url = target(request);
    const first = await once(url, request);
    if (first.status !== 401) return first;
    if (!(await options.tokens.refresh())) return first;
    return once(url, request);
  };

  return {
    sendBytes,
    async sendText(request) {
      const { status, headers, bytes } = await sendBytes(request);
      return { status, headers, text: textOfBytes(bytes) };
    },
    send: async (request) => parsedAnswer(await sendBytes(request)),
  };
}
