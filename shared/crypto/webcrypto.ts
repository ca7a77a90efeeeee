/**
 * The slice of WebCrypto that Relais uses, typed here because shared/ compiles without the DOM
 * and Node libs. The implementation is injected (`globalThis.crypto` in the page and in Node ≥ 22),
 * never imported: shared/ code stays runnable anywhere and testable with known-answer vectors.
 */
export type Bytes = Uint8Array<ArrayBuffer>;

/** An opaque key handle: WebCrypto's CryptoKey. Its raw bytes are never visible when non-extractable. */
export type KeyHandle = Readonly<{
  type: string;
  extractable: boolean;
  algorithm: unknown;
  usages: readonly string[];
}>;

export type KeyPairHandle = Readonly<{ publicKey: KeyHandle; privateKey: KeyHandle }>;

type Algorithm = Readonly<Record<string, unknown>> & { readonly name: string };

export type Subtle = {
  encrypt(algorithm: Algorithm, key: KeyHandle, data: Bytes): Promise<ArrayBuffer>;
  decrypt(algorithm: Algorithm, key: KeyHandle, data: Bytes): Promise<ArrayBuffer>;
  sign(algorithm: Algorithm | string, key: KeyHandle, data: Bytes): Promise<ArrayBuffer>;
  digest(algorithm: string, data: Bytes): Promise<ArrayBuffer>;
  importKey(format: 'raw', keyData: Bytes, algorithm: Algorithm | string, extractable: boolean, usages: string[]): Promise<KeyHandle>;
  exportKey(format: 'raw', key: KeyHandle): Promise<ArrayBuffer>;
  /** An asymmetric algorithm (ECDH) gives a pair. */
  generateKey(algorithm: Algorithm & { readonly namedCurve: string }, extractable: boolean, usages: string[]): Promise<KeyPairHandle>;
  generateKey(algorithm: Algorithm, extractable: boolean, usages: string[]): Promise<KeyHandle>;
  deriveBits(algorithm: Algorithm, baseKey: KeyHandle, length: number): Promise<ArrayBuffer>;
  deriveKey(algorithm: Algorithm, baseKey: KeyHandle, derivedKeyType: Algorithm, extractable: boolean, usages: string[]): Promise<KeyHandle>;
  wrapKey(format: 'raw' | 'pkcs8', key: KeyHandle, wrappingKey: KeyHandle, algorithm: Algorithm): Promise<ArrayBuffer>;
  unwrapKey(
    format: 'raw' | 'pkcs8',
    wrappedKey: Bytes,
    unwrappingKey: KeyHandle,
    unwrapAlgorithm: Algorithm,
    unwrappedKeyAlgorithm: Algorithm | string,
    extractable: boolean,
    usages: string[],
  ): Promise<KeyHandle>;
};

export type WebCrypto = Readonly<{
  subtle: Subtle;
  getRandomValues<T extends Uint8Array<ArrayBuffer>>(array: T): T;
}>;
