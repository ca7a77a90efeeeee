/**
 * The demo practitioners as login accounts. Passwords are demo-only and public (printed at start,
 * listed in docs/SANDBOX.md); they are still compared in constant time, as real ones would be.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type Account = Readonly<{ practitionerId: string; name: string; username: string; password: string }>;

export class AccountDirectory {
  readonly #byUsername = new Map<string, Account>();
  readonly #byPractitioner = new Map<string, Account>();

  constructor(accounts: readonly Account[]) {
    for (const account of accounts) {
      this.#byUsername.set(account.username, account);
      this.#byPractitioner.set(account.practitionerId, account);
    }
  }

  all(): readonly Account[] {
    return [...this.#byUsername.values()];
  }

  byPractitioner(practitionerId: string): Account | undefined {
    return this.#byPractitioner.get(practitionerId);
  }

  /** The account for these credentials, or undefined. */
  authenticate(username: string, password: string): Account | undefined {
    const account = this.#byUsername.get(username.trim());
    const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
    const expected = digest(account?.password ?? 'no-such-account');
    const matches = timingSafeEqual(expected, digest(password));
    return account && matches ? account : undefined;
  }
}
