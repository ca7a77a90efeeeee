/**
 * The port every HIE request goes through, and what a request that got no HIE answer means. One
 * implementation (fetch-transport.ts) serves main in Electron and the web host; the sync engine,
 * the audit upload and break-the-glass see only this port.
 */

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

export type TransportResponse = Readonly<{
  status: number;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
  /** Parsed JSON body, or null when there is none. Unknown until a schema parses it. */
  body: unknown;
}>;

export type TransportRequest = Readonly<{
  method: HttpMethod;
  /** Relative to the FHIR base (`Observation?_count=100`), or an absolute URL the server returned (a `next` link). */
  target: string;
  headers?: Readonly<Record<string, string>>;
  body?: unknown;
}>;

/** An HTTP answer with its body as the text the HIE sent, not parsed: what crosses to the data worker, which parses it there. */
export type TextResponse = Readonly<{ status: number; headers: Readonly<Record<string, string>>; text: string }>;
/**
 * The same with the body as the bytes the HIE sent (UTF-8), not even decoded: what the web host's
 * page hands the data worker, which decodes and parses it. Decoding each 500-resource page on the
 * page thread (a 550 KB string, then its copy across the port) made most of the page's long tasks
 * left during a first sync in the web host; bytes cross as one memory copy.
 */
export type BytesResponse = Readonly<{ status: number; headers: Readonly<Record<string, string>>; bytes: Uint8Array }>;
/** An answer not parsed yet, as text or as bytes. */
export type UnparsedResponse = TextResponse | BytesResponse;

/**
 * Throws TransportError when no HTTP answer came back (offline, connection dropped, timeout);
 * every HTTP answer, 4xx and 5xx included, is returned as a TransportResponse. `sendText`, where a
 * transport has it, is the same request answered as text: a page answering the data worker then
 * neither parses the body nor copies it as an object graph (a first sync is hundreds of MB of JSON).
 */
export type FhirTransport = Readonly<{
  send(request: TransportRequest): Promise<TransportResponse>;
  sendText?(request: TransportRequest): Promise<TextResponse>;
  /** The same answered as bytes (BytesResponse), where a transport has it. */
  sendBytes?(request: TransportRequest): Promise<BytesResponse>;
}>;

/** A transport that always answers as text and as bytes too (the shared fetch transport). */
export type TextTransport = FhirTransport &
  Readonly<{ sendText(request: TransportRequest): Promise<TextResponse>; sendBytes(request: TransportRequest): Promise<BytesResponse> }>;

/** The body of an answer: parsed JSON, or null when empty or not JSON (the engine's schemas then reject it as malformed). */
export function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** An answer's bytes as text (UTF-8; a byte that is not UTF-8 becomes U+FFFD, as a browser's response.text() does). */
export const textOfBytes = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** An unparsed answer (text or bytes) as a parsed one. */
export const parsedAnswer = (answer: UnparsedResponse): TransportResponse => ({
  status: answer.status,
  headers: answer.headers,
  body: parseBody('text' in answer ? answer.text : textOfBytes(answer.bytes)),
});

/**
 * A request that got no HIE answer: `offline`/`timeout`/`aborted` (the network, retried), `refused`
 * (this computer would not send it: the address or operation is not the configured HIE's, or the
 * answer broke a size limit), `not-configured` (no HIE is set on this computer).
 */
export class TransportError extends Error {
  readonly kind: 'offline' | 'timeout' | 'aborted' | 'refused' | 'not-configured';
  constructor(kind: TransportError['kind']) {
    super(`transport: ${kind}`);
    this.name = 'TransportError';
    this.kind = kind;
  }
}

/** Where the bearer token comes from, and how to get a new one after a 401 (false: sign in again). */
export type TokenSource = Readonly<{
  accessToken(): string | null;
  refresh(): Promise<boolean>;
}>;
