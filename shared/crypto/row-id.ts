import { concatBytes, fromUtf8, toBase64Url, utf8 } from './bytes';
import { IntegrityError } from './errors';
import { openGcm, sealedBytes } from './sealed-value';
import type { Bytes, KeyHandle, WebCrypto } from './webcrypto';

/**
 * Opaque names for stored rows (the replica's resource rows are keyed by these instead of their
 * clear `Type/id`), in two parts:
 *
 * - the row id, an HMAC label of the ref under the index key (`opaqueLabel`, 22 characters):
 *   deterministic, so a row is found by computing its id; short, because IndexedDB repeats the
 *   primary key in every index entry;
 * - the row's sealed name (`sealRowName`): the ref, padded to a 64-byte bucket (its length says
 *   nothing of the type), AES-256-GCM under a replica key with the row id as AAD. Stored once,
 *   never indexed, opened only when the row's body does not open: the ref is then still known, and
 *   is what the sync engine fetches again. A name moved to another row does not open there.
 */
const bucket = 64;
const ivLength = 12;
const nameAad = (rowId: string): Bytes => utf8(`relais/row-name/v1|${rowId}`);

function padded(ref: string): Bytes {
  const bytes = utf8(ref);
  if (bytes.includes(0)) throw new TypeError('a reference holds no NUL');
  const out = new Uint8Array(Math.max(bucket, Math.ceil(bytes.length / bucket) * bucket));
  out.set(bytes);
  return out;
}

/** An opaque, deterministic label (HMAC under the index key, 128 bits) for a value that must stay indexable: a row's ref, a resource type. */
export async function opaqueLabel(crypto: WebCrypto, indexKey: KeyHandle, purpose: string, value: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', indexKey, utf8(`relais/${purpose}/v1|${value}`));
  return toBase64Url(new Uint8Array(mac).subarray(0, 16));
}

export async function sealRowName(crypto: WebCrypto, key: KeyHandle, rowId: string, ref: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(ivLength));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: nameAad(rowId), tagLength: 128 }, key, padded(ref));
  return toBase64Url(concatBytes(iv, new Uint8Array(sealed)));
}

/** The ref a row's name holds; IntegrityError if it was not sealed for this row id under this key. */
export async function openRowName(crypto: WebCrypto, key: KeyHandle, rowId: string, name: string): Promise<string> {
  const bytes = sealedBytes(name);
  if (bytes.length < ivLength + bucket + 16) throw new IntegrityError();
  const plain = await openGcm(crypto, key, bytes.slice(0, ivLength), nameAad(rowId), bytes.slice(ivLength));
  const end = plain.indexOf(0);
  return fromUtf8(end === -1 ? plain : plain.subarray(0, end));
}
