/**
 * What the initial-sync panel shows: how far, and roughly how long is left. The estimate is the
 * average rate since this run's pull began (so a resumed sync is measured on its own pace), and
 * is given only once there is enough to measure — a guess after one page would mislead.
 */
export type ProgressSample = Readonly<{ received: number; total: number | null }>;

export type ProgressView = Readonly<{
  /** 0..1, or null when the total is unknown. */
  fraction: number | null;
  /** Milliseconds left, or null while there is not enough to estimate. */
  remainingMs: number | null;
}>;

export const minimumElapsedMs = 3_000;
export const minimumReceived = 50;

export function progressView(sample: ProgressSample, startedAtMs: number | null, nowMs: number): ProgressView {
  const total = sample.total;
  if (total === null || total <= 0) return { fraction: null, remainingMs: null };
  // After a resume the total counts only the types not started yet, so received may pass it: cap at 99 %.
  const fraction = Math.min(0.99, sample.received / total);
  if (startedAtMs === null) return { fraction, remainingMs: null };
  const elapsed = nowMs - startedAtMs;
  if (elapsed < minimumElapsedMs || sample.received < minimumReceived) return { fraction, remainingMs: null };
  const rate = sample.received / elapsed;
  const left = Math.max(0, total - sample.received);
  return { fraction, remainingMs: left === 0 ? 0 : Math.round(left / rate) };
}
