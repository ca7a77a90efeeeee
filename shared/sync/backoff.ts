/**
 * When to try again after a failed sync: exponential backoff with full jitter (so a fleet of
 * laptops coming back online does not hammer the HIE in step), never sooner than the server's
 * Retry-After.
 */
export type BackoffPolicy = Readonly<{ baseMs: number; maxMs: number }>;

export const defaultBackoff: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000 };

export function retryDelayMs(
  failures: number,
  retryAfterMs: number | null,
  random: () => number,
  policy: BackoffPolicy = defaultBackoff,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  const jittered = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}
