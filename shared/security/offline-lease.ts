/**
 * The offline lease: the replica opens offline for a policy-set number of days after the last
 * successful online authentication with the HIE; past it, unlocking needs the network (a fresh
 * sign-in or token refresh), so a lost laptop stops opening by itself. A clock set back before the
 * last authentication is treated as expired: the lease cannot be stretched by changing the date.
 */
export type LeaseVerdict =
  | Readonly<{ state: 'valid'; expiresAt: number }>
  | Readonly<{ state: 'expired'; reason: 'never-authenticated' | 'elapsed' | 'clock-set-back' }>;

const day = 86_400_000;
/** Tolerance for ordinary clock drift between two reads. */
const driftMs = 5 * 60_000;

export function leaseVerdict(lastOnlineAuthMs: number | null, nowMs: number, leaseDays: number): LeaseVerdict {
  if (lastOnlineAuthMs === null || Number.isNaN(lastOnlineAuthMs)) return { state: 'expired', reason: 'never-authenticated' };
  if (nowMs < lastOnlineAuthMs - driftMs) return { state: 'expired', reason: 'clock-set-back' };
  const expiresAt = lastOnlineAuthMs + leaseDays * day;
  return nowMs <= expiresAt ? { state: 'valid', expiresAt } : { state: 'expired', reason: 'elapsed' };
}

export const defaultOfflineLeaseDays = 14;
