import type { Bytes } from './webcrypto';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const utf8 = (text: string): Bytes => encoder.encode(text);
export const fromUtf8 = (bytes: Uint8Array<ArrayBufferLike>): string => decoder.decode(bytes);

export function concatBytes(...parts: readonly Uint8Array<ArrayBufferLike>[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const lookup = new Int16Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i += 1) lookup[alphabet.charCodeAt(i)] = i;

const digits = encoder.encode(alphabet);
type NativeToBase64 = (this: Uint8Array<ArrayBufferLike>, options: Readonly<{ alphabet: 'base64url'; omitPadding: boolean }>) => string;
const nativeToBase64 = (Uint8Array.prototype as unknown as { toBase64?: NativeToBase64 }).toBase64;
const nativeOptions = { alphabet: 'base64url', omitPadding: true } as const;
/** Whether this engine converts with its own base64 (tests). */
export const nativeBase64 = nativeToBase64 !== undefined;
// Decodes the ASCII digits only, where every single-byte decoder agrees.
const ascii = new TextDecoder('latin1');

/**
 * base64url without padding (RFC 4648 §5). The digits go into one byte array decoded once, giving
 * a flat string: appending four characters at a time built a V8 rope of ~550 pieces per sealed
 * value, which cost the garbage collector a quarter of ingest time (tests/bench, replica-profile).
 */
export function toBase64Url(bytes: Uint8Array<ArrayBufferLike>): string {
  // The engine's own (TC39 Uint8Array base64; Chromium 140+, so the app's): four times faster on a
  // row's 32-byte id, which every row read converts (measured in Chromium 156: 0.25 µs, 1.04 µs here).
  if (nativeToBase64 !== undefined) return nativeToBase64.call(bytes, nativeOptions);
  return portableToBase64Url(bytes);
}

/** The same, written here: where the engine has no Uint8Array base64 (Node 22). Exported for the test that holds the two equal. */
export function portableToBase64Url(bytes: Uint8Array<ArrayBufferLike>): string {
  const out = new Uint8Array(Math.ceil((bytes.length * 4) / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o] = digits[(n >> 18) & 63] as number;
    out[o + 1] = digits[(n >> 12) & 63] as number;
    out[o + 2] = digits[(n >> 6) & 63] as number;
    out[o + 3] = digits[n & 63] as number;
    o += 4;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = ((bytes[i] as number) << 16) | (rest === 2 ? (bytes[i + 1] as number) << 8 : 0);
    out[o] = digits[(n >> 18) & 63] as number;
    out[o + 1] = digits[(n >> 12) & 63] as number;
    o += 2;
    if (rest === 2) {
      out[o] = digits[(n >> 6) & 63] as number;
      o += 1;
    }
  }
  return ascii.decode(out.subarray(0, o));
}

export class MalformedBase64Error extends Error {
  constructor() {
    super('malformed base64url');
    this.name = 'MalformedBase64Error';
  }
}

export function fromBase64Url(text: string): Bytes {
  if (text.length % 4 === 1) throw new MalformedBase64Error();
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? (lookup[code] as number) : -1;
    if (digit < 0) throw new MalformedBase64Error();
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o] = (value >> bits) & 0xff;
      o += 1;
    }
  }
  return out.subarray(0, o) as Bytes;
}

export const toHex = (bytes: Uint8Array<ArrayBufferLike>): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
