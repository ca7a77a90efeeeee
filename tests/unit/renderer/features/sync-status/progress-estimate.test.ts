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

  it('never shows 100 % before the end (deletions and bookkeeping follow the last page)', () => {
    expect(progressView({ received: 4_000, total: 4_000 }, 0, 60_000)).toEqual({ fraction: 0.99, remainingMs: 0 });
  });

  it('resumed: starts from what earlier runs brought, and measures the pace on this run only', () => {
    // 3,000 of 4,000 were there before the restart; 500 more in 10 s: 500 left at 50/s is 10 s.
    expect(progressView({ received: 3_500, total: 4_000, resumedFrom: 3_000 }, 50_000, 60_000)).toEqual({ fraction: 0.875, remainingMs: 10_000 });
    // The first pages of the resumed run: too little of this run's own to estimate, yet the bar is already far.
    expect(progressView({ received: 3_020, total: 4_000, resumedFrom: 3_000 }, 50_000, 60_000)).toEqual({ fraction: 0.755, remainingMs: null });
  });
});
