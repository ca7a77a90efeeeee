import { concatBytes, fromBase64Url, toBase64Url, utf8 } from './bytes';
import type { Bytes, KeyHandle, WebCrypto } from './webcrypto';

/**
 * Sealed boxes: what the sync receives while the screen is locked is sealed to a public key whose
 * private half is wrapped under the replica key, so the locked app can write it and never read it
 * (docs/SECURITY.md, "Sync while locked").
 *
 *   box = ephemeral P-256 public key (65 bytes, uncompressed) ‖ IV (12) ‖ AES-256-GCM ciphertext
 *   AES key = HKDF-SHA256(ECDH(ephemeral private, inbox public), salt = ephemeral public,
 *                         info "relais/inbox/v1")
 *   AAD = "relais/inbox/v1|<context>" (the replica's name: a box opens only in its own replica)
 *
 * A fresh ephemeral pair per box, dropped once the box is sealed: whoever seals keeps nothing that
 * opens it. The inbox pair is made once per replica; its private half is wrapped (PKCS#8 under
 * AES-GCM) with the replica key, so it opens only after an unlock, like every other key.
 */
export type InboxKeys = Readonly<{
  /** The public half, raw uncompressed point, base64url: handed to the locked sync. */
  publicKey: string;
  /** The private half, PKCS#8 wrapped with the replica key (AES-GCM, AAD "relais/wrap/v1|inbox-key"). */
  wrappedPrivateKey: string;
}>;

const curve = { name: 'ECDH', namedCurve: 'P-256' } as const;
const pointBytes = 65;
const ivBytes = 12;
const info = utf8('relais/inbox/v1');
const wrapAad = utf8('relais/wrap/v1|inbox-key');
const boxAad = (context: string): Bytes => utf8(`relais/inbox/v1|${context}`);

export class SealedBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedBoxError';
  }
}

/** A new inbox pair for a replica: the public half in clear, the private half wrapped with the replica key. */
export async function newInboxKeys(crypto: WebCrypto, replicaKey: KeyHandle): Promise<InboxKeys> {
  // Extractable only so it can be wrapped; the pair is dropped when this returns.
  const pair = await crypto.subtle.generateKey(curve, true, ['deriveBits']);
  const iv = crypto.getRandomValues(new Uint8Array(ivBytes));
  const wrapped = await crypto.subtle.wrapKey('pkcs8', pair.privateKey, replicaKey, { name: 'AES-GCM', iv, additionalData: wrapAad });
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { publicKey: toBase64Url(publicKey), wrappedPrivateKey: toBase64Url(concatBytes(iv, new Uint8Array(wrapped))) };
}

/** The inbox's private key, non-extractable, once the replica key is open (after an unlock). */
export async function openInboxKey(crypto: WebCrypto, keys: InboxKeys, replicaKey: KeyHandle): Promise<KeyHandle> {
  const bytes = fromBase64Url(keys.wrappedPrivateKey);
  return crypto.subtle.unwrapKey('pkcs8', bytes.slice(ivBytes), replicaKey, { name: 'AES-GCM', iv: bytes.slice(0, ivBytes), additionalData: wrapAad }, curve, false, ['deriveBits']);
}

async function boxKey(crypto: WebCrypto, privateKey: KeyHandle, publicKey: KeyHandle, ephemeral: Bytes, usage: 'encrypt' | 'decrypt'): Promise<KeyHandle> {
  const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256));
  const material = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: ephemeral, info }, material, { name: 'AES-GCM', length: 256 }, false, [usage]);
}

/** A public key (as `InboxKeys.publicKey`) ready to seal to. */
export async function importInboxPublicKey(crypto: WebCrypto, publicKey: string): Promise<KeyHandle> {
  const raw = fromBase64Url(publicKey);
  if (raw.length !== pointBytes) throw new SealedBoxError('not a P-256 public key');
  return crypto.subtle.importKey('raw', raw, curve, true, []);
}

/** Seals `plaintext` to the inbox's public key. */
export async function sealBox(crypto: WebCrypto, inboxPublicKey: KeyHandle, plaintext: Bytes, context: string): Promise<Bytes> {
  const ephemeral = await crypto.subtle.generateKey(curve, true, ['deriveBits']);
  const point = new Uint8Array(await crypto.subtle.exportKey('raw', ephemeral.publicKey));
  const key = await boxKey(crypto, ephemeral.privateKey, inboxPublicKey, point, 'encrypt');
  const iv = crypto.getRandomValues(new Uint8Array(ivBytes));
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: boxAad(context) }, key, plaintext));
  return concatBytes(point, iv, ciphertext);
}

/** Opens a box with the inbox's private key; a box altered, sealed to another key or for another replica throws. */
export async function openBox(crypto: WebCrypto, inboxPrivateKey: KeyHandle, box: Bytes, context: string): Promise<Bytes> {
  if (box.length < pointBytes + ivBytes + 16) throw new SealedBoxError('box too short');
  const point = box.slice(0, pointBytes);
  try {
    const ephemeral = await crypto.subtle.importKey('raw', point, curve, true, []);
    const key = await boxKey(crypto, inboxPrivateKey, ephemeral, point, 'decrypt');
    return new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv: box.slice(pointBytes, pointBytes + ivBytes), additionalData: boxAad(context) }, key, box.slice(pointBytes + ivBytes)),
    );
  } catch {
    throw new SealedBoxError('the box does not open with this key');
  }
}
