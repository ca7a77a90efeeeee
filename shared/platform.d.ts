/**
 * The few web-platform globals that every runtime Relais runs in provides (Node ≥ 22, Chromium,
 * Electron's main and renderer). shared/ compiles without the DOM and Node libs, so these are
 * declared here, narrowly: a DOM-only API (document, window, localStorage, indexedDB) stays
 * unavailable to shared code.
 */
declare class URL {
  constructor(url: string, base?: string | URL);
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  pathname: string;
  readonly search: string;
  readonly hash: string;
  toString(): string;
}

declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array<ArrayBufferLike>): string;
}

// fetch, as shared/hie/fetch-transport.ts uses it (the transport main and the web host share).
declare class AbortSignal {
  readonly aborted: boolean;
}
declare class AbortController {
  readonly signal: AbortSignal;
  abort(): void;
}
declare class Headers {
  get(name: string): string | null;
  forEach(callback: (value: string, key: string) => void): void;
}
type ReadableStreamReadResult = { done: true; value?: undefined } | { done: false; value: Uint8Array };
declare class ReadableStreamDefaultReader {
  read(): Promise<ReadableStreamReadResult>;
  cancel(): Promise<void>;
}
declare class ReadableStream {
  getReader(): ReadableStreamDefaultReader;
}
declare class Response {
  readonly status: number;
  readonly type: string;
  readonly headers: Headers;
  readonly body: ReadableStream | null;
}
type RequestInit = {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  credentials?: 'omit' | 'same-origin' | 'include';
  redirect?: 'follow' | 'error' | 'manual';
};
declare function fetch(input: string | URL, init?: RequestInit): Promise<Response>;
declare function setTimeout(handler: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
