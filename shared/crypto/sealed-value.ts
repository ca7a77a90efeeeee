import { concatBytes, fromBase64Url, MalformedBase64Error, toBase64Url, utf8 } from './bytes';
import { IntegrityError } from './errors';
import type { Bytes, KeyHandle, WebCrypto } from './webcrypto';

/**
 * One encrypted value: AES-256-GCM, a fresh random 96-bit IV per value, and additional
 * authenticated data naming what the value is (document id, field, version). GCM authenticates
 * the AAD, so a ciphertext flipped by one bit, moved to another document or field, or replayed
 * under another version does not open (IntegrityError).
 *
 * Wire form (base64url): format byte 0x01 ‖ IV (12 bytes) ‖ ciphertext ‖ tag (16 bytes).
 */
const formatV1 = 0x01;
const ivLength = 12;

export type ValueContext = Readonly<{ docId: string; field: string; version: string }>;

/** The AAD: unambiguous because each part is length-prefixed. */
export function additionalData(context: ValueContext): Bytes {
  const parts = ['relais/value/v1', context.docId, context.field, context.version];
  return utf8(parts.map((p) => `${p.length}:${p}`).join('|'));
}

/** The sealed value as bytes, where the storage keeps bytes (the replica's row store): a third smaller than its text form. */
export async function sealValueBytes(crypto: WebCrypto, key: KeyHandle, plaintext: Bytes, context: ValueContext): Promise<Bytes> {
  const iv = crypto.getRandomValues(new Uint8Array(ivLength));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: additionalData(context), tagLength: 128 },
    key,
    plaintext,
  );
  return concatBytes(Uint8Array.of(formatV1), iv, new Uint8Array(ciphertext));
}

export async function sealValue(crypto: WebCrypto, key: KeyHandle, plaintext: Bytes, context: ValueContext): Promise<string> {
  return toBase64Url(await sealValueBytes(crypto, key, plaintext, context));
}

/** Stored base64url text as bytes; text that is not base64url was not written by us (IntegrityError). */
export function sealedBytes(text: string): Bytes {
  try {
    return fromBase64Url(text);
  } catch (error: unknown) {
    if (error instanceof MalformedBase64Error) throw new IntegrityError();
    throw error;
  }
}

/** AES-256-GCM decryption where any failure (wrong key, AAD, a flipped bit) is an IntegrityError. */
export async function openGcm(crypto: WebCrypto, key: KeyHandle, iv: Bytes, aad: Bytes, ciphertext: Bytes): Promise<Bytes> {
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 }, key, ciphertext));
  } catch {
    throw new IntegrityError();
  }
}

/** Opens a sealed value in its bytes form; anything we did not write this way is an IntegrityError. */
export async function openValueBytes(crypto: WebCrypto, key: KeyHandle, bytes: Bytes, context: ValueContext): Promise<Bytes> {
  if (bytes.length < 1 + ivLength + 16 || bytes[0] !== formatV1) throw new IntegrityError();
  return openGcm(crypto, key, bytes.subarray(1, 1 + ivLength), additionalData(context), bytes.subarray(1 + ivLength));
}

export async function openValue(crypto: WebCrypto, key: KeyHandle, sealed: string, context: ValueContext): Promise<Bytes> {
  return openValueBytes(crypto, key, sealedBytes(sealed), context);
}
