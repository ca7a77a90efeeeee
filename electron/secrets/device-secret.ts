import { randomBytes } from 'node:crypto';
import type { SecretStore } from './secret-store';

/**
 * The device secret: 32 random bytes made once per device and kept only in the OS keychain. It is
 * one of the two factors of the replica's key (the other is the clinician's passphrase), so a copy
 * of the profile without this keychain entry opens nothing. Destroying it wipes the replica.
 */
export const deviceSecretAccount = 'device-secret';

const isWellFormed = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);

/** The keychain holds no device secret, or one that is not 32 bytes: the replica it protected cannot be opened. */
export class DeviceSecretLostError extends Error {
  constructor(readonly state: 'missing' | 'malformed') {
    super(`the device secret in the keychain is ${state}`);
    this.name = 'DeviceSecretLostError';
  }
}

/** For an existing replica: the secret as it is, never a new one (a new one would silently lose the replica). */
export async function readDeviceSecret(secrets: SecretStore): Promise<string> {
  const existing = await secrets.get(deviceSecretAccount);
  if (existing === null) throw new DeviceSecretLostError('missing');
  if (!isWellFormed(existing)) throw new DeviceSecretLostError('malformed');
  return existing;
}

/**
 * For a new replica: the existing secret, or a new one. A malformed one is replaced (no replica
 * can have been made with it) and `onReplaced` tells the log, so IT can see a keychain that altered it.
 */
export async function getOrCreateDeviceSecret(secrets: SecretStore, onReplaced?: (state: 'malformed') => void): Promise<string> {
  const existing = await secrets.get(deviceSecretAccount);
  if (existing !== null && isWellFormed(existing)) return existing;
  if (existing !== null) onReplaced?.('malformed');
  const created = randomBytes(32).toString('base64url');
  await secrets.set(deviceSecretAccount, created);
  // Read back: a keychain that accepts a write but cannot return it must not be trusted with the replica.
  if ((await secrets.get(deviceSecretAccount)) !== created) throw new Error('keychain did not keep the device secret');
  return created;
}

export async function destroyDeviceSecret(secrets: SecretStore): Promise<void> {
  await secrets.delete(deviceSecretAccount);
}
