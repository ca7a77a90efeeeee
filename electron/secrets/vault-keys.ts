import { webcrypto } from 'node:crypto';
import { fromBase64Url, toBase64Url } from '../../shared/crypto/bytes';
import { importDeviceSecret, kekFromDeviceSecret, kekOpensVault, vaultSaltBytes } from '../../shared/crypto/key-hierarchy';
import type { Bytes, WebCrypto } from '../../shared/crypto/webcrypto';
import { getOrCreateDeviceSecret, readDeviceSecret } from './device-secret';
import type { SecretStore } from './secret-store';

/**
 * The device secret stays in main. The page sends the PBKDF2 half of the key derivation (its
 * stretched passphrase) and receives the vault's key-encryption key, never the secret:
 *
 * - an unlock is an attempt main checks (the KEK must open the vault's wrapped replica key), counts
 *   and throttles: after `freeAttempts` failures each further attempt waits twice as long as the
 *   last (1 s, 2 s, 4 s … at most 5 min); after `maxAttempts` failures (policy maxUnlockAttempts)
 *   nothing unlocks until the clinician signs in online again. The count is kept in the keychain,
 *   so restarting Relais does not reset it.
 * - a new vault (first run, new passphrase) gets a salt main chose a moment before and forgets
 *   after one use: code in the page cannot use that path to test guesses against the existing
 *   vault, whose salt is not among them.
 *
 * Code running in the page at a locked screen therefore gets at most one throttled, counted guess
 * at a time, and nothing it can take elsewhere to guess offline.
 */
export const unlockFailuresAccount = 'unlock-failures';
export const defaultMaxUnlockAttempts = 10;
export const freeAttempts = 3;
const maxDelayMs = 5 * 60_000;
const pendingSaltLifetimeMs = 10 * 60_000;
const maxPendingSalts = 4;

export type UnlockRefusal = 'WRONG_PASSPHRASE' | 'UNLOCK_THROTTLED' | 'UNLOCK_SIGN_IN_REQUIRED' | 'VAULT_SALT_UNKNOWN';

export class UnlockRefusedError extends Error {
  constructor(readonly code: UnlockRefusal) {
    super(code);
    this.name = 'UnlockRefusedError';
  }
}

/** The wait before the next attempt after `failures` failed ones. */
export function unlockDelayMs(failures: number): number {
  if (failures < freeAttempts) return 0;
  return Math.min(1000 * 2 ** (failures - freeAttempts), maxDelayMs);
}

type FailureState = Readonly<{ failures: number; lastFailureAt: number }>;

function parseState(text: string | null): FailureState {
  if (text === null) return { failures: 0, lastFailureAt: 0 };
  try {
    const value = JSON.parse(text) as { failures?: unknown; lastFailureAt?: unknown };
    if (typeof value.failures === 'number' && Number.isInteger(value.failures) && value.failures >= 0 && typeof value.lastFailureAt === 'number') {
      return { failures: value.failures, lastFailureAt: value.lastFailureAt };
    }
  } catch {
    // fall through
  }
  // An unreadable count is not a reset: treat it as the limit reached.
  return { failures: Number.MAX_SAFE_INTEGER, lastFailureAt: 0 };
}

export type VaultKeyService = Readonly<{
  newVaultSalt(): Promise<{ salt: string }>;
  /** An unlock attempt (wrappedReplicaKey given) or a new vault's KEK (a salt newVaultSalt gave). Raw KEK, base64url. */
  deriveVaultKey(request: { salt: string; stretched: string; wrappedReplicaKey?: string | undefined }): Promise<{ kek: string }>;
  /** After an online sign-in: the count starts again. */
  resetFailures(): Promise<void>;
}>;

export type VaultKeyOptions = Readonly<{
  secrets: SecretStore;
  maxAttempts?: number;
  now?: () => number;
  /** A malformed device secret was replaced while making a new vault (for the log). */
  onSecretReplaced?: (state: 'malformed') => void;
}>;

export function createVaultKeyService(options: VaultKeyOptions): VaultKeyService {
  const crypto = webcrypto as unknown as WebCrypto;
  const now = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? defaultMaxUnlockAttempts;
  const pending = new Map<string, number>();
  // One attempt at a time: two concurrent calls cannot both pass the throttle on the same count.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const readState = async (): Promise<FailureState> => parseState(await options.secrets.get(unlockFailuresAccount));
  const writeState = (state: FailureState): Promise<void> => options.secrets.set(unlockFailuresAccount, JSON.stringify(state));

  const deriveRaw = async (salt: Bytes, stretched: Bytes, forNewVault: boolean): Promise<CryptoKey> => {
    // An existing vault needs the secret it was made with: a missing or altered one is told (DeviceSecretLostError), never replaced.
    const secret = forNewVault ? await getOrCreateDeviceSecret(options.secrets, options.onSecretReplaced) : await readDeviceSecret(options.secrets);
    const bytes = fromBase64Url(secret);
    try {
      const device = await importDeviceSecret(crypto, bytes);
      return (await kekFromDeviceSecret(crypto, device, salt, stretched, true)) as CryptoKey;
    } finally {
      bytes.fill(0);
    }
  };
  const exportKek = async (kek: CryptoKey): Promise<{ kek: string }> => {
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', kek));
    try {
      return { kek: toBase64Url(raw) };
    } finally {
      raw.fill(0);
    }
  };

  return {
    newVaultSalt: async () => {
      const t = now();
      for (const [salt, expiresAt] of pending) if (expiresAt <= t) pending.delete(salt);
      while (pending.size >= maxPendingSalts) pending.delete(pending.keys().next().value as string);
      const salt = toBase64Url(crypto.getRandomValues(new Uint8Array(vaultSaltBytes)));
      pending.set(salt, t + pendingSaltLifetimeMs);
      return { salt };
    },
    deriveVaultKey: (request) =>
      serial(async () => {
        const salt = fromBase64Url(request.salt);
        const stretched = fromBase64Url(request.stretched);
        try {
          if (request.wrappedReplicaKey === undefined) {
            const expiresAt = pending.get(request.salt);
            pending.delete(request.salt);
            if (expiresAt === undefined || expiresAt <= now()) throw new UnlockRefusedError('VAULT_SALT_UNKNOWN');
            return await exportKek(await deriveRaw(salt, stretched, true));
          }
          const state = await readState();
          if (state.failures >= maxAttempts) throw new UnlockRefusedError('UNLOCK_SIGN_IN_REQUIRED');
          const waitUntil = state.lastFailureAt + unlockDelayMs(state.failures);
          // A clock set back before the last failure waits as if no time had passed.
          if (now() < waitUntil) throw new UnlockRefusedError('UNLOCK_THROTTLED');
          const kek = await deriveRaw(salt, stretched, false);
          if (!(await kekOpensVault(crypto, kek, request.wrappedReplicaKey))) {
            const failures = state.failures + 1;
            await writeState({ failures, lastFailureAt: now() });
            throw new UnlockRefusedError(failures >= maxAttempts ? 'UNLOCK_SIGN_IN_REQUIRED' : 'WRONG_PASSPHRASE');
          }
          if (state.failures !== 0) await writeState({ failures: 0, lastFailureAt: 0 });
          return await exportKek(kek);
        } finally {
          stretched.fill(0);
        }
      }),
    resetFailures: () => serial(() => writeState({ failures: 0, lastFailureAt: 0 })),
  };
}
