/**
 * What the initial-sync panel shows: how far, and roughly how long is left. The estimate is the
 * average rate since this run's pull began (so a resumed sync is measured on its own pace), and
 * is given only once there is enough to measure — a guess after one page would mislead.
 */
export type ProgressSample = Readonly<{
  received: number;
  total: number | null;
  /** Of `received`, what earlier runs brought before an interruption: not part of this run's pace. */
  resumedFrom?: number;
}>;

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
  // 100 % only when the run says it is done (deletions and bookkeeping follow the last page).
  const fraction = Math.min(0.99, sample.received / total);
  if (startedAtMs === null) return { fraction, remainingMs: null };
  const elapsed = nowMs - startedAtMs;
  const thisRun = sample.received - (sample.resumedFrom ?? 0);
  if (elapsed < minimumElapsedMs || thisRun < minimumReceived) return { fraction, remainingMs: null };
  const rate = thisRun / elapsed;
  const left = Math.max(0, total - sample.received);
  return { fraction, remainingMs: left === 0 ? 0 : Math.round(left / rate) };
}
