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
  readonly pathname: string;
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
