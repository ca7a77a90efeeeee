import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createDeviceSecretSource } from '../../../../renderer/host/web-device-secret';

/** The key cannot be read, but what it derives can: an exportable HMAC key, compared byte for byte. */
async function fingerprint(secret: CryptoKey): Promise<string> {
  const derived = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(16), info: new TextEncoder().encode('test') },
    secret,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    true,
    ['sign'],
  );
  return Buffer.from(await crypto.subtle.exportKey('raw', derived)).toString('hex');
}

describe('web host device secret', () => {
  it('is a non-extractable HKDF key whose bytes the page cannot read', async () => {
    const secret = (await createDeviceSecretSource(indexedDB, crypto)()) as CryptoKey;
    expect(secret).toMatchObject({ type: 'secret', extractable: false, usages: ['deriveKey'] });
    expect((secret.algorithm as { name: string }).name).toBe('HKDF');
    await expect(crypto.subtle.exportKey('raw', secret)).rejects.toThrow();
  });

  it('is created once and is the same key for every later page (stored in IndexedDB)', async () => {
    const first = (await createDeviceSecretSource(indexedDB, crypto)()) as CryptoKey;
    const later = (await createDeviceSecretSource(indexedDB, crypto)()) as CryptoKey;
    expect(await fingerprint(later)).toBe(await fingerprint(first));
  });
});
