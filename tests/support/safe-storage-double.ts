/**
 * A test double for Electron's safeStorage (the Electron binary cannot run here): real AES-256-GCM
 * under a random key, with Chromium's "v10" prefix, and, as Chromium does, data without that prefix
 * handed back unchanged as legacy plaintext. `available` can be turned off to play a machine where
 * safeStorage cannot encrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../../electron/secrets/safe-storage-store';

export const prefix = Buffer.from('v10');

export type SafeStorageDouble = SafeStorageLike & { available: boolean; rotate(): void };

/**
 * `backend` null: a safeStorage without getSelectedStorageBackend, as Electron's is everywhere but
 * Linux. `rotate()` plays the OS rotating safeStorage's key: what the old key encrypted still
 * decrypts, with `shouldReEncrypt`.
 */
export function safeStorageDouble(backend: string | null = 'gnome_libsecret'): SafeStorageDouble {
  const keys = [randomBytes(32)];
  const double: SafeStorageDouble = {
    available: true,
    rotate: () => void keys.push(randomBytes(32)),
    isAsyncEncryptionAvailable: async () => double.available,
    async encryptStringAsync(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys[keys.length - 1] as Buffer, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([prefix, Buffer.from([keys.length - 1]), iv, body, cipher.getAuthTag()]);
    },
    async decryptStringAsync(encrypted) {
      if (!encrypted.subarray(0, 3).equals(prefix)) return { result: encrypted.toString('utf8'), shouldReEncrypt: false };
      const index = encrypted[3] ?? 0;
      const key = keys[index];
      if (key === undefined) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(4, 16));
      decipher.setAuthTag(encrypted.subarray(-16));
      try {
        return { result: Buffer.concat([decipher.update(encrypted.subarray(16, -16)), decipher.final()]).toString('utf8'), shouldReEncrypt: index !== keys.length - 1 };
      } catch {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      }
    },
    ...(backend === null ? {} : { getSelectedStorageBackend: () => backend }),
  };
  return double;
}
