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
 * The page computes the PBKDF2 half; the HKDF half runs where the device secret is (KekSource).
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

/** The vault salt's length; the salt is chosen by whoever holds the device secret (see KekSource). */
export const vaultSaltBytes = 16;

/** The passphrase's half of the KEK input: PBKDF2-SHA256(passphrase, vault salt), 32 bytes. Computed in the page. */
export async function stretchPassphrase(crypto: WebCrypto, passphrase: string, salt: Bytes, iterations: number): Promise<Bytes> {
  if (iterations < minimumIterations) throw new RangeError(`PBKDF2 needs at least ${minimumIterations} iterations`);
  const passphraseKey = await crypto.subtle.importKey('raw', utf8(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, passphraseKey, 256));
}

/**
 * The device secret's half: KEK = HKDF-SHA256(ikm = device secret, salt = vault salt ‖ stretched
 * passphrase, info "relais/kek/v1"). Runs wherever the device secret is: in Electron that is main,
 * which asks for an extractable KEK only to send its bytes once to the page.
 */
export async function kekFromDeviceSecret(crypto: WebCrypto, deviceSecret: KeyHandle, salt: Bytes, stretched: Bytes, extractable = false): Promise<KeyHandle> {
  if (stretched.length !== 32) throw new RangeError('the stretched passphrase is 32 bytes');
  const hkdfSalt = concatBytes(salt, stretched);
  const kek = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: hkdfSalt, info: utf8('relais/kek/v1') },
    deviceSecret,
    aesGcm,
    extractable,
    ['wrapKey', 'unwrapKey', 'decrypt'],
  );
  hkdfSalt.fill(0);
  return kek;
}

/** Whether `kek` opens this wrapped replica key (the GCM tag holds): how the device secret's holder counts a failed unlock. */
export async function kekOpensVault(crypto: WebCrypto, kek: KeyHandle, wrappedReplicaKey: string): Promise<boolean> {
  const bytes = fromBase64Url(wrappedReplicaKey);
  try {
    const raw = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: wrapAad('replica-key') }, kek, bytes.slice(12)));
    raw.fill(0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whoever holds the device secret and turns a stretched passphrase into a vault's KEK. In
 * Electron that is main (electron/secrets/vault-keys.ts): the page never holds the device secret,
 * every unlock is an attempt main counts and throttles, and a new vault's salt is one main just
 * chose, so the "new vault" path cannot be used to test passphrases against an existing vault.
 * The web host (dev and demo) keeps a non-extractable device key in the page: localKekSource.
 */
export type KekSource = Readonly<{
  /** A fresh random salt for a new vault (or a new passphrase), good for one kekForNewVault call. */
  newVaultSalt(): Promise<Bytes>;
  /** The KEK for a salt newVaultSalt just gave. */
  kekForNewVault(salt: Bytes, stretched: Bytes): Promise<KeyHandle>;
  /** An unlock attempt: the KEK if it opens the wrapped replica key, else WrongPassphraseError. */
  kekForVault(salt: Bytes, stretched: Bytes, wrappedReplicaKey: string): Promise<KeyHandle>;
}>;

/** A KekSource over a device key held where the caller runs (web host, tests, and main itself). */
export function localKekSource(crypto: WebCrypto, deviceSecret: KeyHandle | (() => Promise<KeyHandle>)): KekSource {
  const device = typeof deviceSecret === 'function' ? deviceSecret : async () => deviceSecret;
  return {
    newVaultSalt: async () => crypto.getRandomValues(new Uint8Array(vaultSaltBytes)),
    kekForNewVault: async (salt, stretched) => kekFromDeviceSecret(crypto, await device(), salt, stretched),
    kekForVault: async (salt, stretched, wrappedReplicaKey) => {
      const kek = await kekFromDeviceSecret(crypto, await device(), salt, stretched);
      if (!(await kekOpensVault(crypto, kek, wrappedReplicaKey))) throw new WrongPassphraseError();
      return kek;
    },
  };
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

const asSource = (crypto: WebCrypto, keys: KeyHandle | KekSource): KekSource =>
  'kekForVault' in (keys as object) ? (keys as KekSource) : localKekSource(crypto, keys as KeyHandle);

/** First run: a new replica key and index key, wrapped under the two factors. `keys`: the device key, or who holds it. */
export async function createVault(
  crypto: WebCrypto,
  keys: KeyHandle | KekSource,
  passphrase: string,
  iterations = minimumIterations,
): Promise<{ record: VaultRecord; vault: UnlockedVault }> {
  if (iterations < minimumIterations) throw new RangeError(`PBKDF2 needs at least ${minimumIterations} iterations`);
  const source = asSource(crypto, keys);
  const salt = await source.newVaultSalt();
  const stretched = await stretchPassphrase(crypto, passphrase, salt, iterations);
  const kek = await source.kekForNewVault(salt, stretched);
  stretched.fill(0);
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
  return { record, vault: await openWithKek(crypto, record, kek) };
}

async function openWithKek(crypto: WebCrypto, record: VaultRecord, kek: KeyHandle, extractableReplicaKey = false): Promise<UnlockedVault> {
  let replicaKey: KeyHandle;
  try {
    replicaKey = await unwrap(crypto, record.wrappedReplicaKey, kek, 'replica-key', aesGcm, ['wrapKey', 'unwrapKey'], extractableReplicaKey);
  } catch {
    throw new WrongPassphraseError();
  }
  const indexKey = await unwrap(crypto, record.wrappedIndexKey, replicaKey, 'index-key', hmac, ['sign']);
  return { replicaKey, indexKey };
}

async function kekForRecord(crypto: WebCrypto, source: KekSource, record: VaultRecord, passphrase: string): Promise<KeyHandle> {
  const salt = fromBase64Url(record.salt);
  const stretched = await stretchPassphrase(crypto, passphrase, salt, record.iterations);
  try {
    return await source.kekForVault(salt, stretched, record.wrappedReplicaKey);
  } finally {
    stretched.fill(0);
  }
}

/** Unlock: both factors must be right, else WrongPassphraseError (GCM refuses the wrapped key). */
export async function unlockVault(
  crypto: WebCrypto,
  record: VaultRecord,
  keys: KeyHandle | KekSource,
  passphrase: string,
  options: { extractableReplicaKey?: boolean } = {},
): Promise<UnlockedVault> {
  const kek = await kekForRecord(crypto, asSource(crypto, keys), record, passphrase);
  return openWithKek(crypto, record, kek, options.extractableReplicaKey ?? false);
}

/** New passphrase: the replica key is re-wrapped under a new salt; no document is re-encrypted. */
export async function changePassphrase(
  crypto: WebCrypto,
  record: VaultRecord,
  keys: KeyHandle | KekSource,
  oldPassphrase: string,
  newPassphrase: string,
): Promise<VaultRecord> {
  const source = asSource(crypto, keys);
  // The one place a replica key is extractable, for the time of one wrapKey call.
  const { replicaKey } = await unlockVault(crypto, record, source, oldPassphrase, { extractableReplicaKey: true });
  const salt = await source.newVaultSalt();
  const stretched = await stretchPassphrase(crypto, newPassphrase, salt, record.iterations);
  const kek = await source.kekForNewVault(salt, stretched);
  stretched.fill(0);
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
