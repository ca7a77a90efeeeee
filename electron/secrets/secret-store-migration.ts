import { SecretStoreError, type SecretStore } from './secret-store';

/**
 * Moves every secret of `from` into `to`, one account at a time: read, written to `to`, read back
 * from `to`, and only then deleted from `from`. Stopped anywhere, every secret is still readable in
 * one store at least, and running it again finishes the move: an account still in `from` is
 * copied again, since `from`'s value is the one in use until the move is complete (an earlier copy
 * in `to` may be stale). Returns the accounts it moved.
 */
export async function migrateSecrets(from: SecretStore, to: SecretStore): Promise<readonly string[]> {
  const moved: string[] = [];
  for (const account of await from.list()) {
    const secret = await from.get(account);
    if (secret === null) continue; // deleted since it was listed
    await to.set(account, secret);
    if ((await to.get(account)) !== secret) {
      throw new SecretStoreError('KEYCHAIN_FAILED', `The new secret store did not keep the secret of ${account}; it was left where it was.`);
    }
    await from.delete(account);
    moved.push(account);
  }
  return moved;
}
