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
 * Throws TransportError when no HTTP answer came back (offline, connection dropped, timeout);
 * every HTTP answer, 4xx and 5xx included, is returned as a TransportResponse. `sendText`, where a
 * transport has it, is the same request answered as text: a page answering the data worker then
 * neither parses the body nor copies it as an object graph (a first sync is hundreds of MB of JSON).
 */
export type FhirTransport = Readonly<{
  send(request: TransportRequest): Promise<TransportResponse>;
  sendText?(request: TransportRequest): Promise<TextResponse>;
}>;

/** A transport that always answers as text too (the shared fetch transport). */
export type TextTransport = FhirTransport & Readonly<{ sendText(request: TransportRequest): Promise<TextResponse> }>;

/** The body of an answer: parsed JSON, or null when empty or not JSON (the engine's schemas then reject it as malformed). */
export function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** A text answer as a parsed one. */
export const parsedAnswer = (answer: TextResponse): TransportResponse => ({ status: answer.status, headers: answer.headers, body: parseBody(answer.text) });

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
