import { describe, expect, it } from 'vitest';
import { progressView } from '../../../../../renderer/features/sync-status/progress-estimate';

describe('initial sync progress', () => {
  it('has no fraction and no estimate while the total is unknown', () => {
    expect(progressView({ received: 300, total: null }, 0, 10_000)).toEqual({ fraction: null, remainingMs: null });
  });

  it('estimates the time left from the rate since this run’s pull began', () => {
    // 1,000 of 4,000 in 10 s: 3,000 more at 100/s is 30 s.
    expect(progressView({ received: 1_000, total: 4_000 }, 50_000, 60_000)).toEqual({ fraction: 0.25, remainingMs: 30_000 });
  });

  it('gives no estimate on too little to measure (one page, or the first seconds)', () => {
    expect(progressView({ received: 10, total: 4_000 }, 0, 20_000).remainingMs).toBeNull();
    expect(progressView({ received: 800, total: 4_000 }, 0, 1_000).remainingMs).toBeNull();
  });

  it('never shows 100 % before the end, even when a resumed run receives more than its total', () => {
    expect(progressView({ received: 5_000, total: 4_000 }, 0, 60_000)).toEqual({ fraction: 0.99, remainingMs: 0 });
  });
});
