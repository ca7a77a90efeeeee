import { concatBytes, fromBase64Url, toBase64Url, utf8 } from './bytes';
import { WrongPassphraseError } from './errors';
import type { Bytes, KeyHandle, WebCrypto } from './webcrypto';

/**
 * The key hierarchy (docs/SECURITY.md draws it):
 *
 *   device secret (32 random bytes, OS keychain) ── HKDF-SHA256 input keying material ─┐
 *   passphrase ── PBKDF2-SHA256 (≥ 600k) ── HKDF salt (with the vault's random salt) ───┴─→ KEK (never stored)
 *   KEK wraps the replica key (AES-GCM, AAD "replica-key")
 *   replica key wraps the index key (HMAC, for opaque patient keys) and one data key per patient
 *     (AES-GCM, AAD = that patient's opaque key)
 *   a patient's data key seals that patient's documents (sealed-value.ts)
 *
 * Either factor alone opens nothing. Changing the passphrase re-wraps the replica key only.
 * Deleting a patient's wrapped key crypto-shreds that patient. Every key handed out is
 * non-extractable: the page can use keys, never read them.
 */
export const minimumIterations = 600_000;

export type VaultRecord = Readonly<{
  format: 1;
  kdf: 'PBKDF2-SHA256+HKDF-SHA256';
  iterations: number;
  salt: string;
  wrappedReplicaKey: string;
  wrappedIndexKey: string;
}>;

export type UnlockedVault = Readonly<{
  replicaKey: KeyHandle;
  indexKey: KeyHandle;
}>;

const aesGcm = { name: 'AES-GCM', length: 256 } as const;
const hmac = { name: 'HMAC', hash: 'SHA-256', length: 256 } as const;

const wrapAad = (purpose: string): Bytes => utf8(`relais/wrap/v1|${purpose}`);

async function wrap(crypto: WebCrypto, key: KeyHandle, wrappingKey: KeyHandle, purpose: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrapped = await crypto.subtle.wrapKey('raw', key, wrappingKey, { name: 'AES-GCM', iv, additionalData: wrapAad(purpose) });
  return toBase64Url(concatBytes(iv, new Uint8Array(wrapped)));
}

async function unwrap(
  crypto: WebCrypto,
  wrapped: string,
  unwrappingKey: KeyHandle,
  purpose: string,
  algorithm: typeof aesGcm | typeof hmac,
  usages: string[],
  extractable = false,
): Promise<KeyHandle> {
  const bytes = fromBase64Url(wrapped);
  return crypto.subtle.unwrapKey(
    'raw',
    bytes.slice(12),
    unwrappingKey,
    { name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: wrapAad(purpose) },
    algorithm,
    extractable,
    usages,
  );
}

/**
 * Both factors → the key-encryption key: HKDF-SHA256 with the device secret as input keying
 * material and (vault salt ‖ PBKDF2(passphrase)) as salt. The device secret is held as a
 * non-extractable HKDF key, so the page can use it without ever holding its bytes again.
 */
async function deriveKek(crypto: WebCrypto, deviceSecret: KeyHandle, passphrase: string, salt: Bytes, iterations: number): Promise<KeyHandle> {
  const passphraseKey = await crypto.subtle.importKey('raw', utf8(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const stretched = new Uint8Array(
    await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, passphraseKey, 256),
  );
  const hkdfSalt = concatBytes(salt, stretched);
  stretched.fill(0);
  const kek = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: hkdfSalt, info: utf8('relais/kek/v1') },
    deviceSecret,
    aesGcm,
    false,
    ['wrapKey', 'unwrapKey'],
  );
  hkdfSalt.fill(0);
  return kek;
}

/** 32 random bytes, generated once per device and kept in the OS keychain. */
export function newDeviceSecret(crypto: WebCrypto): Bytes {
  return crypto.getRandomValues(new Uint8Array(32));
}

/** The device secret as a non-extractable HKDF key; the caller should zero `bytes` afterwards. */
export async function importDeviceSecret(crypto: WebCrypto, bytes: Bytes): Promise<KeyHandle> {
  if (bytes.length < 32) throw new RangeError('device secret must be at least 32 bytes');
  return crypto.subtle.importKey('raw', bytes, 'HKDF', false, ['deriveKey']);
}

/** First run: a new replica key and index key, wrapped under the two factors. */
export async function createVault(
  crypto: WebCrypto,
  deviceSecret: KeyHandle,
  passphrase: string,
  iterations = minimumIterations,
): Promise<{ record: VaultRecord; vault: UnlockedVault }> {
  if (iterations < minimumIterations) throw new RangeError(`PBKDF2 needs at least ${minimumIterations} iterations`);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const kek = await deriveKek(crypto, deviceSecret, passphrase, salt, iterations);
  // Generated extractable only so that they can be wrapped once; the handles kept are re-imported non-extractable.
  const replica = await crypto.subtle.generateKey(aesGcm, true, ['wrapKey', 'unwrapKey']);
  const index = await crypto.subtle.generateKey(hmac, true, ['sign']);
  const record: VaultRecord = {
    format: 1,
    kdf: 'PBKDF2-SHA256+HKDF-SHA256',
    iterations,
    salt: toBase64Url(salt),
    wrappedReplicaKey: await wrap(crypto, replica, kek, 'replica-key'),
    wrappedIndexKey: await wrap(crypto, index, replica, 'index-key'),
  };
  return { record, vault: await unlockVault(crypto, record, deviceSecret, passphrase) };
}

/** Unlock: both factors must be right, else WrongPassphraseError (GCM refuses the wrapped key). */
export async function unlockVault(
  crypto: WebCrypto,
  record: VaultRecord,
  deviceSecret: KeyHandle,
  passphrase: string,
  options: { extractableReplicaKey?: boolean } = {},
): Promise<UnlockedVault> {
  const kek = await deriveKek(crypto, deviceSecret, passphrase, fromBase64Url(record.salt), record.iterations);
  let replicaKey: KeyHandle;
  try {
    replicaKey = await unwrap(crypto, record.wrappedReplicaKey, kek, 'replica-key', aesGcm, ['wrapKey', 'unwrapKey'], options.extractableReplicaKey ?? false);
  } catch {
    throw new WrongPassphraseError();
  }
  const indexKey = await unwrap(crypto, record.wrappedIndexKey, replicaKey, 'index-key', hmac, ['sign']);
  return { replicaKey, indexKey };
}

/** New passphrase: the replica key is re-wrapped; no document is re-encrypted. */
export async function changePassphrase(
  crypto: WebCrypto,
  record: VaultRecord,
  deviceSecret: KeyHandle,
  oldPassphrase: string,
  newPassphrase: string,
): Promise<VaultRecord> {
  // The one place a replica key is extractable, for the time of one wrapKey call.
  const { replicaKey } = await unlockVault(crypto, record, deviceSecret, oldPassphrase, { extractableReplicaKey: true });
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const kek = await deriveKek(crypto, deviceSecret, newPassphrase, salt, record.iterations);
  return { ...record, salt: toBase64Url(salt), wrappedReplicaKey: await wrap(crypto, replicaKey, kek, 'replica-key') };
}

/** An opaque, stable key for a patient: HMAC(index key, patient reference). Identifies nobody without the key. */
export async function opaquePatientKey(crypto: WebCrypto, vault: UnlockedVault, patientReference: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', vault.indexKey, utf8(`relais/patient/v1|${patientReference}`));
  return toBase64Url(new Uint8Array(mac).subarray(0, 16));
}

/** A new data key for one patient, returned with its wrapped form (to store) and a non-extractable handle (to use). */
export async function createDataKey(
  crypto: WebCrypto,
  vault: UnlockedVault,
  patientKey: string,
): Promise<{ wrapped: string; key: KeyHandle }> {
  const fresh = await crypto.subtle.generateKey(aesGcm, true, ['encrypt', 'decrypt']);
  const wrapped = await wrap(crypto, fresh, vault.replicaKey, `data-key|${patientKey}`);
  return { wrapped, key: await openDataKey(crypto, vault, patientKey, wrapped) };
}

export async function openDataKey(crypto: WebCrypto, vault: UnlockedVault, patientKey: string, wrapped: string): Promise<KeyHandle> {
  return unwrap(crypto, wrapped, vault.replicaKey, `data-key|${patientKey}`, aesGcm, ['encrypt', 'decrypt']);
}
