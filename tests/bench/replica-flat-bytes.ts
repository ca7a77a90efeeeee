/**
 * Prototype of a change to shared/crypto/bytes.ts, bundled in its place by the `proto-ours-flatb64`
 * variant (bundleForBrowser's `replace`): toBase64Url writes its digits into one Uint8Array and
 * decodes it once, giving a flat string. The shipped version appends four characters at a time,
 * which in V8 builds a rope of ~550 cons-string nodes per 1.6 KB value: garbage for the GC, and a
 * flatten when IndexedDB serializes the row. Same output, byte for byte. Everything else is the
 * original module.
 */
export { concatBytes, fromBase64Url, fromUtf8, MalformedBase64Error, toHex, utf8 } from '../../shared/crypto/bytes';

const digits = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
// Only ASCII bytes are decoded, where every single-byte decoder agrees.
const ascii = new TextDecoder('latin1');

/** base64url without padding (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array<ArrayBufferLike>): string {
  const out = new Uint8Array(Math.ceil((bytes.length * 4) / 3));
  let o = 0;
  let i = 0;
  const digit = (n: number): number => digits[n & 63] as number;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o] = digit(n >> 18);
    out[o + 1] = digit(n >> 12);
    out[o + 2] = digit(n >> 6);
    out[o + 3] = digit(n);
    o += 4;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = ((bytes[i] as number) << 16) | (rest === 2 ? (bytes[i + 1] as number) << 8 : 0);
    out[o] = digit(n >> 18);
    out[o + 1] = digit(n >> 12);
    o += 2;
    if (rest === 2) {
      out[o] = digit(n >> 6);
      o += 1;
    }
  }
  return ascii.decode(out.subarray(0, o));
}
