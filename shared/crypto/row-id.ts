import { concatBytes, fromBase64Url, fromUtf8, MalformedBase64Error, toBase64Url, utf8 } from './bytes';
import { IntegrityError } from './errors';
import type { Bytes, KeyHandle, WebCrypto } from './webcrypto';

/**
 * Opaque, deterministic and reversible names for stored rows (the replica's resource rows are keyed
 * by these instead of their clear `Type/id`).
 *
 * A synthetic-IV construction over WebCrypto's primitives (WebCrypto has no AES-GCM-SIV):
 *   iv = HMAC-SHA256(index key, "relais/row/v1|" ‖ ref)[0..12]
 *   id = base64url(iv ‖ AES-256-GCM(row key, iv, pad(ref), AAD "relais/row-id/v1"))
 *
 * - Deterministic: the same ref always gives the same id, so a row is found by computing its name.
 * - Opaque: without the keys, an id says nothing of the type, the resource id or the patient;
 *   refs are padded to a 64-byte bucket, so its length says nothing of the type either.
 * - Reversible and authenticated: a row whose sealed body no longer opens can still be named (its
 *   ref is what the sync engine fetches again), and an id made up or altered does not open.
 * An IV repeats only for the same ref (same plaintext), so GCM's nonce rule holds: equal ids reveal
 * equal refs, which is what a key is for, and nothing else.
 */
const aad = utf8('relais/row-id/v1');
const bucket = 64;
const ivLength = 12;

function padded(ref: string): Bytes {
  const bytes = utf8(ref);
  if (bytes.includes(0)) throw new TypeError('a reference holds no NUL');
  const out = new Uint8Array(Math.max(bucket, Math.ceil(bytes.length / bucket) * bucket));
  out.set(bytes);
  return out;
}

export async function sealRowId(crypto: WebCrypto, indexKey: KeyHandle, rowKey: KeyHandle, ref: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', indexKey, utf8(`relais/row/v1|${ref}`));
  const iv = new Uint8Array(mac).slice(0, ivLength);
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 }, rowKey, padded(ref));
  return toBase64Url(concatBytes(iv, new Uint8Array(sealed)));
}

/** The ref a row id names; IntegrityError if the id was not made by sealRowId under these keys. */
export async function openRowId(crypto: WebCrypto, rowKey: KeyHandle, id: string): Promise<string> {
  let bytes: Bytes;
  try {
    bytes = fromBase64Url(id);
  } catch (error: unknown) {
    if (error instanceof MalformedBase64Error) throw new IntegrityError();
    throw error;
  }
  if (bytes.length < ivLength + bucket + 16) throw new IntegrityError();
  let plain: Bytes;
  try {
    plain = new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(0, ivLength), additionalData: aad, tagLength: 128 }, rowKey, bytes.slice(ivLength)),
    );
  } catch {
    throw new IntegrityError();
  }
  const end = plain.indexOf(0);
  return fromUtf8(end === -1 ? plain : plain.subarray(0, end));
}

/** An opaque, deterministic label (HMAC under the index key) for a clear value that must stay indexable, e.g. a resource type. */
export async function opaqueLabel(crypto: WebCrypto, indexKey: KeyHandle, purpose: string, value: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', indexKey, utf8(`relais/${purpose}/v1|${value}`));
  return toBase64Url(new Uint8Array(mac).subarray(0, 16));
}
