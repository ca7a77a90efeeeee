/**
 * A test double for Electron's safeStorage (the Electron binary cannot run here): real AES-256-GCM
 * under a random key, with Chromium's "v10" prefix, and, as Chromium does, data without that prefix
 * handed back unchanged as legacy plaintext. `available` can be turned off to play a machine where
 * safeStorage cannot encrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../../electron/secrets/safe-storage-store';

export const prefix = Buffer.from('v10');

export type SafeStorageDouble = SafeStorageLike & { available: boolean };

/** `backend` null: a safeStorage without getSelectedStorageBackend, as Electron's is everywhere but Linux. */
export function safeStorageDouble(backend: string | null = 'gnome_libsecret'): SafeStorageDouble {
  const key = randomBytes(32);
  const double: SafeStorageDouble = {
    available: true,
    isEncryptionAvailable: () => double.available,
    encryptString(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([prefix, iv, body, cipher.getAuthTag()]);
    },
    decryptString(encrypted) {
      if (!encrypted.subarray(0, 3).equals(prefix)) return encrypted.toString('utf8');
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(3, 15));
      decipher.setAuthTag(encrypted.subarray(-16));
      try {
        return Buffer.concat([decipher.update(encrypted.subarray(15, -16)), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      }
    },
    ...(backend === null ? {} : { getSelectedStorageBackend: () => backend }),
  };
  return double;
}

