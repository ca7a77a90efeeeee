/**
 * Main's vault keys and offline lease over the real Secret Service (GNOME Keyring on a private
 * D-Bus session, started by `npm test`): the device secret, the failure count and the sealed lease
 * stamp live in the keychain, so a restart of Relais (new services, same keychain) keeps them.
 */
import { pbkdf2Sync, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createLeaseClock } from '../../../../electron/auth/lease-clock';
import { createKeytarSecretStore } from '../../../../electron/secrets/keytar-store';
import { createVaultKeyService } from '../../../../electron/secrets/vault-keys';
import { fromBase64Url, toBase64Url } from '../../../../shared/crypto/bytes';
import { createVault, type KekSource } from '../../../../shared/crypto/key-hierarchy';
import type { WebCrypto } from '../../../../shared/crypto/webcrypto';

const store = createKeytarSecretStore(`Relais-test-${randomUUID()}`);
const crypto = globalThis.crypto as unknown as WebCrypto;
afterAll(async () => {
  for (const account of await store.list().catch(() => [])) await store.delete(account);
});

const pageSide = (keys: ReturnType<typeof createVaultKeyService>): KekSource => {
  const importKek = (kek: string) => crypto.subtle.importKey('raw', fromBase64Url(kek), { name: 'AES-GCM' }, false, ['wrapKey', 'unwrapKey']);
  return {
    newVaultSalt: async () => fromBase64Url((await keys.newVaultSalt()).salt),
    kekForNewVault: async (salt, stretched) => importKek((await keys.deriveVaultKey({ salt: toBase64Url(salt), stretched: toBase64Url(stretched) })).kek),
    kekForVault: async (salt, stretched, wrapped) => importKek((await keys.deriveVaultKey({ salt: toBase64Url(salt), stretched: toBase64Url(stretched), wrappedReplicaKey: wrapped })).kek),
  };
};

describe('vault keys on a real keychain', { timeout: 60_000 }, () => {
  it('the wrong-passphrase count and the sign-in block survive a restart; the lease stamp is sealed', async () => {
    let now = Date.parse('2026-12-01T08:00:00Z');
    const first = createVaultKeyService({ secrets: store, maxAttempts: 4, now: () => now });
    const passphrase = 'Quatre chats gris dorment sous le figuier';
    const { record } = await createVault(crypto, pageSide(first), passphrase);
    const attempt = (keys: ReturnType<typeof createVaultKeyService>, stretched: string) =>
      keys.deriveVaultKey({ salt: record.salt, stretched, wrappedReplicaKey: record.wrappedReplicaKey });
    const wrong = () => toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
    for (let i = 0; i < 3; i += 1) await expect(attempt(first, wrong())).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    now += 1000;
    await expect(attempt(first, wrong())).rejects.toMatchObject({ code: 'UNLOCK_SIGN_IN_REQUIRED' });
    const restarted = createVaultKeyService({ secrets: store, maxAttempts: 4, now: () => now + 3_600_000 });
    const right = toBase64Url(new Uint8Array(pbkdf2Sync(passphrase, Buffer.from(record.salt, 'base64url'), record.iterations, 32, 'sha256')));
    await expect(attempt(restarted, right)).rejects.toMatchObject({ code: 'UNLOCK_SIGN_IN_REQUIRED' });
    await restarted.resetFailures();
    await expect(attempt(restarted, right)).resolves.toMatchObject({ kek: expect.any(String) });

    const lease = createLeaseClock(store);
    await lease.confirmedOnline(now);
    expect(await createLeaseClock(store).verdict(now + 86_400_000, 14)).toMatchObject({ state: 'valid' });
    const stamp = JSON.parse((await store.get('last-online-auth')) as string) as Record<string, unknown>;
    await store.set('last-online-auth', JSON.stringify({ ...stamp, lastOnlineAuth: now + 30 * 86_400_000 }));
    expect(await createLeaseClock(store).verdict(now + 40 * 86_400_000, 14)).toMatchObject({ state: 'expired' });
  });
});
